import { judgeStatus } from '../monitoring/staleness';
import { readState } from '../monitoring/state';
import { encodeRecord } from '../protocol';
import { parseDuration } from '../spec/duration';
import { StagingLayout } from '../staging/layout';
import type { Command } from './command';
import { CONFIG_OPTION, JSON_OPTION, configPath } from './command';
import { formatBytes } from '../human-log';
import { loadConfig } from './load-config';

const HEALTH_WORDS = {
  ok: 'OK',
  stale: 'STALE',
  never: 'NEVER SUCCEEDED',
  unhealthy: 'UNHEALTHY',
} as const;

export const statusCommand: Command = {
  name: 'status',
  summary: 'show the last run, success, check and verify; exit 1 when the last success is too old',
  usage: `Usage: backup-runner status [-c FILE] [--json] [--max-age DURATION] [--strict]

A dead-man switch for when the schedule itself stops: exits 1 when the last successful run is
older than --max-age, else notify.stale_after, else twice the schedule's interval plus an hour
(26 h without a schedule), when no run ever succeeded, or while a problem stands: a target
whose last check or restore drill failed (until a check passes), or a last run that found a
source far smaller than before. Put it in another monitor's check.
--strict also exits 1 when the last run failed (a container's HEALTHCHECK).
Exit status: 0 fresh, 1 stale or never succeeded, 2 usage or invalid spec.`,
  options: {
    ...CONFIG_OPTION,
    ...JSON_OPTION,
    'max-age': { type: 'string' },
    strict: { type: 'boolean' },
  },
  positionals: false,
  async run(values, _positionals, io) {
    const json = values['json'] === true;
    const loaded = await loadConfig(configPath(values), json, io);
    if (!loaded.ok) return loaded.exitCode;
    const maxAge =
      typeof values['max-age'] === 'string' ? parseDuration(values['max-age']) : undefined;
    if (values['max-age'] !== undefined && maxAge === undefined) {
      io.err('backup-runner status: --max-age takes a duration such as 26h or 2d');
      return 2;
    }
    const state = await readState(new StagingLayout(loaded.config.staging.dir).stateFile);
    const record = judgeStatus(loaded.config, state, new Date(), maxAge);
    if (json) {
      io.out(encodeRecord(record));
    } else {
      const age = record.lastSuccess
        ? `${(record.lastSuccess.ageMs / 3_600_000).toFixed(1)} h ago`
        : '';
      io.out(
        `${record.name}: ${HEALTH_WORDS[record.health]} (threshold ${(record.staleAfterMs / 3_600_000).toFixed(1)} h)`,
      );
      for (const problem of record.problems ?? []) io.out(`  ${problem.code}: ${problem.message}`);
      if (record.lastSuccess) {
        const added = record.lastSuccess.snapshots
          .map((s) => `${s.target} ${s.snapshotId} +${formatBytes(s.dataAdded)}`)
          .join(', ');
        io.out(`  last success: ${record.lastSuccess.finishedAt} (${age}) ${added}`);
      }
      if (record.lastRun && record.lastRun.status !== 'ok')
        io.out(
          `  last run: ${record.lastRun.status} at ${record.lastRun.finishedAt} — ${record.lastRun.error?.message ?? ''}`,
        );
      for (const [target, check] of Object.entries(record.lastCheck ?? {}))
        io.out(`  last check of ${target}: ${check.status} at ${check.at}`);
      if (record.lastVerify)
        io.out(
          `  last verify: ${record.lastVerify.status} at ${record.lastVerify.at} (${record.lastVerify.target} ${record.lastVerify.snapshotId})`,
        );
    }
    const lastRunFailed = values['strict'] === true && record.lastRun?.status === 'failed';
    return record.health === 'ok' && !lastRunFailed ? 0 : 1;
  },
};
