import { commandExitStatus } from '../exit-status';
import { reportError, usageError, withTargetSession } from './command-support';
import { restoreInPlace } from '../restore/restore-in-place';
import { restoreToDirectory } from '../restore/restore-to-directory';
import type { RestoreRecord } from '../protocol';
import { encodeRecord } from '../protocol';
import type { Command } from './command';
import { CONFIG_OPTION, JSON_OPTION } from './command';
import { formatBytes } from '../human-log';
import type { CommandIO } from './io';
import { moduleFor } from '../sources/registry';

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'restore a snapshot, a source or one file; or a SQLite database in place',
  usage: `Usage: backup-runner restore [-c FILE] [--json] [--target NAME] [SNAPSHOT]
                             --to DIR [--source NAME] [--path PATH] [--force]
       backup-runner restore [...] [SNAPSHOT] --source NAME --in-place [--integrity-check]

SNAPSHOT is an id (short or long) or "latest" (the default: the newest snapshot of this spec
made on its host). What lands in DIR:
  (nothing)                         every source, as DIR/<source>/..., and DIR/manifest.json
  --source tracker-db               the source's content: DIR/tracker.db
  --source config                   a files source's tree: DIR/opt/torrust/.env, ...
  --source config --path /opt/torrust/.env
                                    one file or directory under its own name: DIR/.env
  --path /opt/torrust/.env          the same; the source is found in the snapshot's manifest

Every restored file is checked against the snapshot's manifest (size, sha256) before it is put
in place. DIR must be empty or new unless --force; with --force the restored files replace
those of the same name, and a replaced SQLite database loses its stale -wal/-shm/-journal. A
database that a process has open is never overwritten.

--in-place puts a SQLite source's database back at its own path: only when no process has it
open (matched by device and inode, so a hard link or a bind mount counts), keeping the current
one as <path>.before-restore-<time>. The restored copy is checked first: sha256 against the
manifest, then PRAGMA integrity_check — or only quick_check when those very bytes passed a full
integrity_check at backup (the manifest, or the state file for a check that ran alongside the
backup, says so); --integrity-check runs the full check anyway. In a container the runner cannot see the host's processes
and refuses unless --app-stopped says the application is stopped. Stop the application first;
docs/restore.md has the steps, also for MySQL and config files.

Options:
  -c, --config FILE  the spec (default ./backup.yaml)
  --target NAME      the target to restore from (default: the first)
  --to DIR           where to restore
  --source NAME      one source
  --path PATH        one file or directory: a path on the host for a files source
  --force            write into a non-empty DIR
  --in-place         replace a SQLite source's database (with --source)
  --integrity-check  with --in-place: run the full integrity_check of the restored copy even
                     when it passed one at backup
  --app-stopped      the application is stopped: needed where the runner cannot see other
                     processes (it runs in its own PID namespace, as in a container)
  --json             one "restore" record (runner/src/protocol.ts)

Exit status: 0 restored, 1 failed or refused, 2 invalid spec or usage, 130 cancelled.`,
  options: {
    ...CONFIG_OPTION,
    ...JSON_OPTION,
    target: { type: 'string' },
    to: { type: 'string' },
    source: { type: 'string' },
    path: { type: 'string' },
    force: { type: 'boolean' },
    'in-place': { type: 'boolean' },
    'app-stopped': { type: 'boolean' },
    'integrity-check': { type: 'boolean' },
  },
  positionals: true,
  run: (values, positionals, io) =>
    withTargetSession('restore', values, io, async (session, json) => {
      const fail = (message: string) =>
        reportError(io, json, 'restore', usageError(message, 'backup-runner restore --help'));
      if (positionals.length > 1) return fail('give at most one SNAPSHOT');
      const snapshot = positionals[0] ?? 'latest';
      const to = typeof values['to'] === 'string' ? values['to'] : undefined;
      const source = typeof values['source'] === 'string' ? values['source'] : undefined;
      const path = typeof values['path'] === 'string' ? values['path'] : undefined;
      let record: RestoreRecord;
      if (values['in-place'] === true) {
        if (to !== undefined || path !== undefined)
          return fail('--in-place takes neither --to nor --path');
        const spec = session.config.sources.find((s) => s.name === source);
        if (!spec || !moduleFor(spec.source).inPlace)
          return fail('--in-place needs --source naming a sqlite source of the spec');
        record = await restoreInPlace(session, {
          snapshot,
          source: spec.name,
          appStopped: values['app-stopped'] === true,
          integrityCheck: values['integrity-check'] === true,
        });
      } else {
        if (to === undefined) return fail('give --to DIR (or --in-place for a SQLite source)');
        record = await restoreToDirectory(session, {
          snapshot,
          ...(source !== undefined ? { source } : {}),
          ...(path !== undefined ? { path } : {}),
          to,
          force: values['force'] === true,
          appStopped: values['app-stopped'] === true,
        });
      }
      if (json) io.out(encodeRecord(record));
      else printRecord(record, path ?? (source ? `source ${source}` : 'the whole snapshot'), io);
      return commandExitStatus(record.error);
    }),
};

function printRecord(record: RestoreRecord, what: string, io: CommandIO): void {
  for (const warning of record.warnings) io.err(`warning: ${warning}`);
  if (record.error) {
    io.err(
      `backup-runner restore: ${record.error.message}${record.error.hint ? ` (${record.error.hint})` : ''}`,
    );
    return;
  }
  const checked =
    record.verifiedFiles === record.files && record.files > 0
      ? ', each checked against the manifest'
      : '';
  io.out(
    `restored ${what} of snapshot ${record.snapshotId.slice(0, 8)} to ${record.to}: ${record.files} file${record.files === 1 ? '' : 's'}, ${formatBytes(record.bytes)}${checked}`,
  );
  if (record.checks) io.out(`  checked: ${record.checks.join(', ')}`);
  if (record.fullCheckAtBackup)
    io.out(`  no second full integrity_check: ${record.fullCheckAtBackup}`);
  for (const path of record.removed) io.out(`  removed stale ${path}`);
  for (const path of record.keptAside) io.out(`  the replaced file is kept as ${path}`);
}
