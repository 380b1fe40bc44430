import { reportError, usageError, withTargetSession } from './command-support';
import { verifySnapshot } from '../verify/verify-snapshot';
import { encodeRecord } from '../protocol';
import type { Command } from './command';
import { CONFIG_OPTION, JSON_OPTION } from './command';
import { formatBytes } from '../human-log';

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'restore drill: restore the latest snapshot to scratch and check every source',
  usage: `Usage: backup-runner verify [-c FILE] [--json] [--target NAME] [SNAPSHOT]

Restores a snapshot (default: the latest of this spec on its host) into a scratch directory
(verify.scratch_dir, else staging.dir) and checks it:
  - every file against the snapshot's manifest: present, same size, same sha256, nothing extra;
  - every SQLite copy with PRAGMA integrity_check;
  - every MySQL dump's "-- Dump completed" trailer, and, when the spec names a server under
    verify.mysql, loads it into a scratch database backup_yaml_verify_<random>, counts its
    tables and rows, and drops it.
The scratch copy is removed; the result goes to the state file as lastVerify.

Options:
  -c, --config FILE  the spec (default ./backup.yaml)
  --target NAME      the target to restore from (default: the first)
  --json             a "verify-source" record per source, then a "verify" record

Exit status: 0 every source passed, 1 a source failed or the drill could not run, 2 invalid
spec or usage, 130 cancelled.`,
  options: { ...CONFIG_OPTION, ...JSON_OPTION, target: { type: 'string' } },
  positionals: true,
  run: (values, positionals, io) =>
    withTargetSession('verify', values, io, async (session, json) => {
      if (positionals.length > 1)
        return reportError(io, json, 'verify', usageError('give at most one SNAPSHOT'));
      if (!json) io.out(`verify ${session.config.name} · target ${session.target.name}`);
      const record = await verifySnapshot(session, {
        snapshot: positionals[0] ?? 'latest',
        onSource: (result, snapshotId) => {
          if (json)
            io.out(
              encodeRecord({
                type: 'verify-source',
                target: session.target.name,
                snapshotId,
                ...result,
              }),
            );
          else
            io.out(
              `  ${result.status === 'ok' ? '✓' : '✗'} ${result.source} (${result.sourceType}, ${formatBytes(result.bytes)}): ${result.detail}`,
            );
        },
      });
      if (json) io.out(encodeRecord(record));
      else {
        if (record.error)
          io.err(
            `backup-runner verify: ${record.error.message}${record.error.hint ? ` (${record.error.hint})` : ''}`,
          );
        io.out(
          `verify ${record.status === 'ok' ? 'passed' : record.status}${record.snapshotId ? ` for snapshot ${record.snapshotId.slice(0, 8)} (${record.snapshotTime ?? ''})` : ''} in ${(record.durationMs / 1000).toFixed(1)} s`,
        );
      }
      if (record.status === 'cancelled') return 130;
      return record.status === 'ok' && !record.error ? 0 : 1;
    }),
};
