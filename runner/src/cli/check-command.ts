import { checkTarget } from '../engine/run-checks';
import { encodeRecord } from '../protocol';
import type { CheckResultRecord } from '../protocol';
import { resticInvocation } from '../restic/invocation';
import { withdrawSecretsFromEnvironment } from '../secrets';
import type { Command } from './command';
import { CONFIG_OPTION, JSON_OPTION, configPath } from './command';
import { withCancellation } from './cancellation';
import { loadConfig } from './load-config';
import { selectTargets } from './select-targets';

export const checkCommand: Command = {
  name: 'check',
  summary: "verify the repositories' structure (and a part of their data): restic check",
  usage: `Usage: backup-runner check [-c FILE] [--json] [--target NAME] [--read-data]

Runs \`restic check\` on each target (or --target NAME), reading check.read_data_subset of the
stored data when the spec sets it (all of it with --read-data), and records the result (run
also checks every check.every). A passing check clears a failed one; a failed restore drill is
cleared by a passing check with --read-data (runs do that check by themselves).
Exit status: 0 all repositories are sound, 1 a check failed, 2 usage or invalid spec.`,
  options: {
    ...CONFIG_OPTION,
    ...JSON_OPTION,
    target: { type: 'string' },
    'read-data': { type: 'boolean' },
  },
  positionals: false,
  async run(values, _positionals, io) {
    const json = values['json'] === true;
    const loaded = await loadConfig(configPath(values), json, io);
    if (!loaded.ok) return loaded.exitCode;
    const { config } = loaded;
    const targets = selectTargets(config, values);
    if (!targets.ok) {
      io.err(`backup-runner check: ${targets.error.message}`);
      return 2;
    }
    withdrawSecretsFromEnvironment(config.secretEnv);
    let failed = 0;
    await withCancellation(async (signal) => {
      for (const target of targets.value) {
        const started = Date.now();
        const invocation = await resticInvocation(target, true);
        const result = invocation.ok
          ? await checkTarget(config, target, invocation.value, {
              signal,
              readAllData: values['read-data'] === true,
              onLockWait: (message) => io.err(`backup-runner check: ${message}`),
            })
          : invocation;
        const record: CheckResultRecord = {
          type: 'check',
          target: target.name,
          status: result.ok ? 'ok' : 'failed',
          durationMs: Date.now() - started,
          ...(config.check?.readDataSubset ? { readDataSubset: config.check.readDataSubset } : {}),
          ...(result.ok ? {} : { error: result.error }),
        };
        if (!result.ok) failed++;
        if (json) io.out(encodeRecord(record));
        else
          io[result.ok ? 'out' : 'err'](
            `target "${target.name}": ${result.ok ? 'repository is sound' : `check failed — ${result.error.message}`} (${(record.durationMs / 1000).toFixed(1)} s)`,
          );
      }
    });
    return failed > 0 ? 1 : 0;
  },
};
