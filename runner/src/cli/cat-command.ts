import { reportError, usageError, withTargetSession } from './command-support';
import type { SnapshotFile } from '../snapshots/snapshot-file';
import { dumpSnapshotFile, findSnapshotFile } from '../snapshots/snapshot-file';
import { summarizeSqliteFile } from '../sources/sqlite/summary';
import type { TargetSession } from '../snapshots/target-session';
import { findCurrentFile, readCurrentFile } from '../snapshots/current-file';
import type { RunnerError } from '../result';
import type { CommandIO } from './io';
import type { FileRecord } from '../protocol';
import { encodeRecord } from '../protocol';
import type { Command } from './command';
import { CONFIG_OPTION, JSON_OPTION } from './command';
import { formatBytes } from '../human-log';

/** Above this a file is refused unless --max-bytes says otherwise: an editor tab is no place for it. */
export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

export const catCommand: Command = {
  name: 'cat',
  summary: "print one file of a snapshot (its bytes, exactly), or a SQLite database's summary",
  usage: `Usage: backup-runner cat [-c FILE] [--json] [--target NAME] [--max-bytes N] SNAPSHOT PATH
       backup-runner cat [...] --sqlite-summary SNAPSHOT PATH

Writes the file PATH of SNAPSHOT (an id, short or long, or "latest") to stdout, byte for byte,
through restic dump. PATH is named as ls names it: <source>/<path inside the source>, e.g.
config/opt/torrust/etc/tracker.toml or tracker-db/tracker.db. The file is found through its
directory's listing (cached, see ls), which also gives its size: a file larger than --max-bytes
(default ${formatBytes(DEFAULT_MAX_BYTES)}; 0 for no limit) is refused before anything is read.

SNAPSHOT "current" reads the file as it is on the host now, at its original path (files
sources only, and only under the source's paths): what the editor's "Compare with current" shows.

--sqlite-summary, for a file of a SQLite source, prints the database's tables with their row
counts, PRAGMA integrity_check, page size and user_version instead of its bytes (the copy is
made in a scratch directory under staging.dir and removed; no size limit).

Options:
  -c, --config FILE  the spec (default ./backup.yaml)
  --target NAME      the target to read (default: the first)
  --max-bytes N      refuse files larger than N bytes
  --sqlite-summary   a SQLite database's summary instead of its bytes
  --json             a "file" record, then its bytes as "file-chunk" records (base64); with
                     --sqlite-summary one "sqlite-summary" record (runner/src/protocol.ts)

Exit status: 0 ok, 1 not found, too large or the repository could not be read, 2 invalid spec
or usage, 130 cancelled.`,
  options: {
    ...CONFIG_OPTION,
    ...JSON_OPTION,
    target: { type: 'string' },
    'max-bytes': { type: 'string' },
    'sqlite-summary': { type: 'boolean' },
  },
  positionals: true,
  run: (values, positionals, io) =>
    withTargetSession('cat', values, io, async (session, json) => {
      const failUsage = (message: string) =>
        reportError(io, json, 'cat', usageError(message, 'backup-runner cat --help'));
      const [snapshot, path, ...extra] = positionals;
      if (snapshot === undefined || path === undefined || extra.length > 0)
        return failUsage('give SNAPSHOT and PATH');
      const maxBytes = parseMaxBytes(values['max-bytes']);
      if (maxBytes === undefined) return failUsage('--max-bytes takes a whole number of bytes');
      if (!json && !io.bytes) return failUsage('this stdout carries lines only: give --json');
      const write = (chunk: Buffer) =>
        json
          ? io.out(encodeRecord({ type: 'file-chunk', data: chunk.toString('base64') }))
          : io.bytes?.(chunk);
      if (snapshot === 'current') {
        const file = await findCurrentFile(session.config, session.target.name, path);
        if (!file.ok) return reportError(io, json, 'cat', file.error);
        const refused = sizeRefusal(file.value, maxBytes);
        if (refused) return reportError(io, json, 'cat', refused);
        if (json) io.out(encodeRecord(file.value));
        const read = await readCurrentFile(file.value, session.signal, write);
        return read.ok ? 0 : reportError(io, json, 'cat', read.error);
      }
      const file = await findSnapshotFile(session, snapshot, path);
      if (!file.ok) return reportError(io, json, 'cat', file.error);
      if (values['sqlite-summary'] === true) return printSummary(session, file.value, json, io);
      const record = fileRecord(session.target.name, file.value);
      const refused = sizeRefusal(record, maxBytes);
      if (refused) return reportError(io, json, 'cat', refused);
      if (json) io.out(encodeRecord(record));
      const dumped = await dumpSnapshotFile(session, file.value, write);
      return dumped.ok ? 0 : reportError(io, json, 'cat', dumped.error);
    }),
};

function sizeRefusal(file: FileRecord, maxBytes: number): RunnerError | undefined {
  if (maxBytes === 0 || file.size <= maxBytes) return undefined;
  return {
    code: 'file-too-large',
    message: `${file.path} is ${formatBytes(file.size)}, above the limit of ${formatBytes(maxBytes)}`,
    hint: 'restore it to a directory instead (backup-runner restore --path), or raise --max-bytes',
  };
}

async function printSummary(
  session: TargetSession,
  file: SnapshotFile,
  json: boolean,
  io: CommandIO,
): Promise<number> {
  const summary = await summarizeSqliteFile(session, file);
  if (!summary.ok) return reportError(io, json, 'cat', summary.error);
  if (json) io.out(encodeRecord(summary.value));
  else {
    io.out(`integrity_check: ${summary.value.integrity.join('; ')}`);
    for (const table of summary.value.tables) io.out(`${table.name}\t${table.rows} rows`);
  }
  return 0;
}

function parseMaxBytes(value: string | boolean | undefined): number | undefined {
  if (value === undefined) return DEFAULT_MAX_BYTES;
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;
}

function fileRecord(target: string, file: SnapshotFile): FileRecord {
  const { entry } = file;
  return {
    type: 'file',
    target,
    snapshotId: file.snapshotId,
    path: entry.path,
    source: entry.source,
    ...(entry.sourceType ? { sourceType: entry.sourceType } : {}),
    ...(entry.originalPath ? { originalPath: entry.originalPath } : {}),
    size: entry.size,
    ...(entry.mode !== undefined ? { mode: entry.mode } : {}),
    ...(entry.mtime ? { mtime: entry.mtime } : {}),
  };
}
