import { resticInvocation } from '../restic/invocation';
import { initArgs } from '../restic/commands';
import { resticPlain, resticRepositoryExists } from '../restic/operations';
import { detectRestic } from '../restic/version';
import { withdrawSecretsFromEnvironment } from '../secrets';
import { encodeRecord } from '../protocol';
import type { InitRecord } from '../protocol';
import type { Command } from './command';
import { CONFIG_OPTION, JSON_OPTION, configPath } from './command';
import { loadConfig } from './load-config';
import { selectTargets } from './select-targets';

export const initCommand: Command = {
  name: 'init',
  summary: 'create the restic repositories of the targets that have none',
  usage: `Usage: backup-runner init [-c FILE] [--json] [--target NAME]

Creates the restic repository of each target (or of --target NAME) where there is none yet;
an existing repository is left alone. A run never creates a repository by itself.`,
  options: { ...CONFIG_OPTION, ...JSON_OPTION, target: { type: 'string' } },
  positionals: false,
  async run(values, _positionals, io) {
    const json = values['json'] === true;
    const loaded = await loadConfig(configPath(values), json, io);
    if (!loaded.ok) return loaded.exitCode;
    const selected = selectTargets(loaded.config, values);
    if (!selected.ok) {
      io.err(`backup-runner init: ${selected.error.message}`);
      return 2;
    }
    const targets = selected.value;
    const restic = await detectRestic();
    if (!restic.ok) {
      io.err(`backup-runner init: ${restic.error.message}`);
      return 1;
    }
    withdrawSecretsFromEnvironment(loaded.config.secretEnv);
    const signal = new AbortController().signal;
    let failed = 0;
    for (const target of targets) {
      const record: InitRecord = { type: 'init', target: target.name, status: 'exists' };
      const invocation = await resticInvocation(target, true);
      const exists = invocation.ok
        ? await resticRepositoryExists(invocation.value, { signal })
        : invocation;
      if (!exists.ok) Object.assign(record, { status: 'failed', error: exists.error });
      else if (!exists.value && invocation.ok) {
        const created = await resticPlain(invocation.value, initArgs(), { signal });
        Object.assign(
          record,
          created.ok ? { status: 'created' } : { status: 'failed', error: created.error },
        );
      }
      if (record.status === 'failed') failed++;
      if (json) io.out(encodeRecord(record));
      else
        io[record.status === 'failed' ? 'err' : 'out'](
          `target "${target.name}": ${record.status === 'created' ? 'repository created' : record.status === 'exists' ? 'repository exists' : `failed — ${record.error?.message ?? ''}`}`,
        );
    }
    return failed > 0 ? 1 : 0;
  },
};
