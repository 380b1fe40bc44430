import type { RestoreRecord } from 'backup-runner/protocol';
import type { SnapshotRef } from './backups-nodes';
import { EntryNode, localTime } from './backups-nodes';
import type { Ctx } from './ctx';
import type { ClientError } from './errors';
import type { CommandResult } from './run-commands';
import { reportError } from './run-commands';
import { restoreSummary, scratchDirectory } from './restore-text';
import { resolveEntryNode, resolveSnapshotNode } from './snapshot-pickers';

/** What of a snapshot a restore takes: all of it, a source, or a path of a files source. */
interface RestoreWhat {
  ref: SnapshotRef;
  label: string;
  args: string[];
}

function whatOf(ref: SnapshotRef, node: EntryNode | undefined): RestoreWhat {
  if (!node) return { ref, label: `snapshot ${ref.snapshot.shortId}`, args: [] };
  const { entry } = node;
  const source = ['--source', entry.source];
  // A database source is one file: the source is what is restored. Files keep their host path.
  if (node.kind === 'source' || entry.sourceType !== 'files' || !entry.originalPath)
    return { ref, label: `source ${entry.source}`, args: source };
  return { ref, label: entry.originalPath, args: [...source, '--path', entry.originalPath] };
}

/**
 * Restore…: a file, a folder, a source or the whole snapshot into a directory on the host (a
 * new scratch directory unless the user types another). The runner refuses a non-empty
 * directory; that refusal is offered as a choice to restore into it with --force.
 */
export async function restoreFromSnapshot(
  ctx: Ctx,
  given?: unknown,
  to?: unknown,
): Promise<CommandResult> {
  const what = await resolveWhat(ctx, given);
  if (!what) return { ok: false, error: { code: 'cancelled', message: 'nothing chosen' } };
  const { host } = what.ref;
  const dir =
    typeof to === 'string'
      ? to
      : await ctx
          .prompts()
          .input(
            `Restore ${what.label} of ${what.ref.snapshot.shortId} into which directory on ${host.label}?`,
            scratchDirectory(what.ref),
            'an absolute path on the host; a new or empty directory',
          );
  if (!dir) return { ok: false, error: { code: 'cancelled', message: 'no directory given' } };
  let record = await runRestore(ctx, what, ['--to', dir]);
  if (record.ok && record.value.error?.code === 'restore-target-not-empty') {
    const force = await ctx
      .prompts()
      .confirm(
        `${dir} on ${host.label} is not empty`,
        'Restore into it anyway (--force)? Restored files replace those of the same name there; other files stay as they are.',
        'Restore with --force',
      );
    if (!force)
      return {
        ok: false,
        host: host.label,
        error: { code: 'cancelled', message: `${dir} is not empty; nothing restored` },
      };
    record = await runRestore(ctx, what, ['--to', dir, '--force']);
  }
  return finishRestore(ctx, what, record);
}

/**
 * Restore in place (SQLite sources): behind a modal that says what happens, the runner puts the
 * snapshot's database back at its own path, keeping the current one aside.
 */
export async function restoreInPlace(ctx: Ctx, given?: unknown): Promise<CommandResult> {
  const node = await resolveEntryNode(ctx, given, (e) => e.sourceType === 'sqlite');
  if (!node) return { ok: false, error: { code: 'cancelled', message: 'no SQLite source chosen' } };
  const { ref, entry } = node;
  const spec = await ctx.backups.data.spec(ref.host);
  const path =
    (spec.ok ? spec.value.sources[entry.source]?.path : undefined) ??
    `the database of ${entry.source}`;
  const confirmed = await ctx
    .prompts()
    .confirm(
      `Replace ${path} on ${ref.host.label} with the copy of snapshot ${ref.snapshot.shortId} (${localTime(ref.snapshot.time)})?`,
      [
        'Stop the application that uses the database first: the runner refuses while any process has it open.',
        `The current database is kept as ${path}.before-restore-<time> (its -wal and -shm beside it).`,
        "The snapshot's copy is checked against the manifest (size, sha256) and with PRAGMA integrity_check, then renamed into place with the current file's owner and mode.",
      ].join('\n'),
      'Replace the database',
    );
  if (!confirmed)
    return {
      ok: false,
      host: ref.host.label,
      error: { code: 'cancelled', message: 'not restored' },
    };
  const what = { ref, label: `${entry.source} in place`, args: ['--source', entry.source] };
  return finishRestore(ctx, what, await runRestore(ctx, what, ['--in-place']));
}

async function resolveWhat(ctx: Ctx, given: unknown): Promise<RestoreWhat | undefined> {
  if (given instanceof EntryNode) return whatOf(given.ref, given);
  const ref = await resolveSnapshotNode(ctx, given);
  return ref ? whatOf(ref, undefined) : undefined;
}

type RestoreOutcome = { ok: true; value: RestoreRecord } | { ok: false; error: ClientError };

async function runRestore(ctx: Ctx, what: RestoreWhat, extra: string[]): Promise<RestoreOutcome> {
  const { host, target, snapshot } = what.ref;
  const outcome = await ctx.runs.run({
    host,
    title: `Restore ${what.label} of ${snapshot.shortId} on ${host.label}`,
    argv: [
      'restore',
      '-c',
      host.spec,
      '--target',
      target,
      snapshot.id,
      ...what.args,
      ...extra,
      '--json',
    ],
  });
  if (!outcome.ok) return outcome;
  const record = outcome.value.records.find((r) => r.type === 'restore');
  if (record?.type === 'restore') return { ok: true, value: record };
  const error = outcome.value.records.find((r) => r.type === 'error');
  return {
    ok: false,
    error:
      error?.type === 'error'
        ? { ...error.error, host: host.label }
        : {
            code: 'runner-failed',
            host: host.label,
            message: `restore ended with exit status ${outcome.value.exitCode}: ${outcome.value.stderr.at(-1) ?? ''}`,
          },
  };
}

function finishRestore(ctx: Ctx, what: RestoreWhat, outcome: RestoreOutcome): CommandResult {
  const { host } = what.ref;
  ctx.backups.view.refresh(host);
  void ctx.status.refresh(host);
  if (!outcome.ok) return reportError(ctx, host, outcome.error);
  const record = outcome.value;
  if (record.error) return reportError(ctx, host, { ...record.error, host: host.label });
  const summary = restoreSummary(what.label, record);
  void ctx.prompts().info(`${host.label}: ${summary}`);
  return { ok: true, host: host.label, summary, records: [record], exitCode: 0 };
}
