import type { Ctx } from './ctx';
import type { HostEntry } from './config';
import { readSettings, saveHostEntry } from './config';
import type { CommandResult } from './run-commands';
import { readSshAliases } from './ssh-config';
import { isValidDestination } from './ssh-transport';

const OTHER = '$(edit) Another destination (user@host)…';

/**
 * Add host…: an alias of the ssh config (or any destination), then the spec's path there; saved
 * to backupYaml.hosts. `given` (from a test or another extension) skips the questions.
 */
export async function addHost(ctx: Ctx, given?: Partial<HostEntry>): Promise<CommandResult> {
  const settings = readSettings();
  let host = given?.host;
  if (!host) {
    const aliases = await readSshAliases(settings.sshConfigFile);
    const picked = await ctx
      .prompts()
      .pick(
        [
          ...aliases.map((a) => ({ label: a.alias, description: a.target })),
          { label: OTHER, description: '' },
        ],
        'The host to back up (aliases from your ssh config)',
      );
    if (!picked) return cancelled();
    host =
      picked.label === OTHER
        ? await ctx
            .prompts()
            .input('ssh destination', undefined, 'user@host or an ssh config alias')
        : picked.label;
  }
  if (!host) return cancelled();
  if (!isValidDestination(host))
    return {
      ok: false,
      error: { code: 'ssh-failed', message: `"${host}" is not an ssh destination` },
    };
  const spec =
    given?.spec ??
    (await ctx
      .prompts()
      .input(`Path of the backup.yaml on ${host}`, '/etc/backup-yaml/backup.yaml'));
  if (!spec) return cancelled();
  const entry: HostEntry = {
    host,
    spec,
    ...(given?.runner ? { runner: given.runner } : {}),
    ...(given?.sudo ? { sudo: true } : {}),
  };
  await saveHostEntry(entry);
  ctx.view.refresh();
  const added = ctx.picker.all().find((h) => h.entry?.host === host && h.spec === spec);
  if (added) void ctx.status.refresh(added);
  return { ok: true, host, summary: `added ${host}:${spec}`, records: [], exitCode: 0 };
}

function cancelled(): CommandResult {
  return { ok: false, error: { code: 'cancelled', message: 'no host was added' } };
}
