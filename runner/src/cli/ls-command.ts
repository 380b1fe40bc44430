import { listDirectory } from '../snapshots/list-directory';
import { reportError, usageError, withTargetSession } from './command-support';
import { encodeRecord } from '../protocol';
import type { Command } from './command';
import { CONFIG_OPTION, JSON_OPTION } from './command';
import { formatBytes } from '../human-log';

export const lsCommand: Command = {
  name: 'ls',
  summary: 'list one directory level of a snapshot, as sources and their files',
  usage: `Usage: backup-runner ls [-c FILE] [--json] [--target NAME] SNAPSHOT [PATH]

Lists one level of a snapshot (an id, short or long, or "latest"). Without PATH: its sources.
PATH is <source>[/<path>]: "tracker-db" lists the database file of that source, "config" the
top of the files source "config", and "config/opt/torrust" its /opt/torrust directory (a files
source keeps each file under its path on the host).

Each level is read from restic once and then from a cache under <staging.dir>/snapshot-cache/
(snapshots never change); a snapshot named by its id is listed from there without restic.

Options:
  -c, --config FILE  the spec (default ./backup.yaml)
  --target NAME      the target to read (default: the first)
  --json             one "listing" record (runner/src/protocol.ts)

Exit status: 0 ok, 1 not found or the repository could not be read, 2 invalid spec or usage.`,
  options: { ...CONFIG_OPTION, ...JSON_OPTION, target: { type: 'string' } },
  positionals: true,
  run: (values, positionals, io) =>
    withTargetSession('ls', values, io, async (session, json) => {
      const [snapshot, path = '', ...extra] = positionals;
      if (snapshot === undefined || extra.length > 0)
        return reportError(
          io,
          json,
          'ls',
          usageError('give SNAPSHOT and at most one PATH', 'backup-runner ls latest config'),
        );
      const listing = await listDirectory(session, snapshot, path);
      if (!listing.ok) return reportError(io, json, 'ls', listing.error);
      if (json) {
        io.out(encodeRecord(listing.value));
        return 0;
      }
      for (const entry of listing.value.entries) {
        const size = entry.type === 'file' ? formatBytes(entry.size ?? 0) : '';
        const mode = entry.mode === undefined ? '' : entry.mode.toString(8).padStart(4, '0');
        const mtime = entry.mtime ? entry.mtime.replace('T', ' ').slice(0, 19) : '';
        const name = `${entry.name}${entry.type === 'dir' ? '/' : ''}`;
        const extraInfo =
          listing.value.path === '' && entry.sourceType ? `  (${entry.sourceType} source)` : '';
        io.out(`${mode.padEnd(5)} ${size.padStart(10)}  ${mtime.padEnd(19)}  ${name}${extraInfo}`);
      }
      return 0;
    }),
};
