import { formatBytes } from '../../runner/src/human-log';
import type { RestoreRecord } from '../../runner/src/protocol';

/** A new directory per restore, so that the default never meets the runner's non-empty refusal. */
export function scratchDirectory(ref: { snapshot: { shortId: string } }, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `/tmp/backup-yaml-restore/${ref.snapshot.shortId}-${stamp}`;
}

/** "restored /opt/app/etc of 1a2b3c4d to /tmp/x: 3 files, 1.2 KiB, 3 of 3 verified against the manifest". */
export function restoreSummary(label: string, record: RestoreRecord): string {
  const kept = record.keptAside.length
    ? `; the replaced database is kept as ${record.keptAside.join(', ')}`
    : '';
  return `restored ${label} of ${record.snapshotId.slice(0, 8)} to ${record.to}: ${record.files} file${record.files === 1 ? '' : 's'}, ${formatBytes(record.bytes)}, ${record.verifiedFiles} of ${record.files} verified against the manifest${kept}`;
}
