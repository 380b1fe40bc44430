import { listSnapshots } from '../snapshots/list-snapshots';
import { reportError, withTargetSession } from './command-support';
import { encodeRecord } from '../protocol';
import type { SnapshotRecord } from '../protocol';
import type { Command } from './command';
import { CONFIG_OPTION, JSON_OPTION } from './command';
import { formatBytes } from '../human-log';
import type { CommandIO } from './io';

export const snapshotsCommand: Command = {
  name: 'snapshots',
  summary: "list this spec's snapshots: time, sources, size",
  usage: `Usage: backup-runner snapshots [-c FILE] [--json] [--target NAME]

Lists the snapshots of this spec (tag backup-yaml:<name>) in the target (default: the first),
oldest first, with their host, sources and staged size. Snapshots of other specs in the same
repository are not shown. "latest" marks what restore and verify take by default: the newest
snapshot made on the spec's host.

Options:
  -c, --config FILE  the spec (default ./backup.yaml)
  --target NAME      the target to read (default: the first)
  --json             one "snapshot" record per line (runner/src/protocol.ts)

Exit status: 0 ok, 1 the repository could not be read, 2 invalid spec or usage.`,
  options: { ...CONFIG_OPTION, ...JSON_OPTION, target: { type: 'string' } },
  positionals: false,
  run: (values, _positionals, io) =>
    withTargetSession('snapshots', values, io, async (session, json) => {
      const listed = await listSnapshots(session);
      if (!listed.ok) return reportError(io, json, 'snapshots', listed.error);
      if (json) for (const record of listed.value) io.out(encodeRecord(record));
      else printTable(listed.value, session.target.name, io);
      return 0;
    }),
};

function printTable(records: SnapshotRecord[], target: string, io: CommandIO): void {
  if (records.length === 0) {
    io.out(`no snapshots of this spec in target "${target}"`);
    return;
  }
  io.out(`ID        TIME                 HOST              SIZE        SOURCES`);
  for (const r of records) {
    const time = r.time.replace('T', ' ').slice(0, 19);
    const size = r.bytes === undefined ? '?' : formatBytes(r.bytes);
    const sources = r.sources
      .map((s) =>
        r.sourceBytes?.[s] === undefined ? s : `${s} (${formatBytes(r.sourceBytes[s])})`,
      )
      .join(', ');
    io.out(
      `${r.shortId.padEnd(9)} ${time.padEnd(20)} ${r.host.slice(0, 17).padEnd(17)} ${size.padEnd(11)} ${sources}${r.latest ? '  [latest]' : ''}`,
    );
  }
  io.out(
    `${records.length} snapshot${records.length === 1 ? '' : 's'} in target "${target}" (times in UTC)`,
  );
}
