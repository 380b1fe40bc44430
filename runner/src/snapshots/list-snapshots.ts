import type { SnapshotRecord } from '../protocol';
import type { ResticSnapshot } from '../restic/snapshots';
import type { Result } from '../result';
import { ok } from '../result';
import { latestOf, specSnapshots } from './resolve-snapshot';
import { snapshotLayout } from './snapshot-layout';
import { snapshotManifest, sourceFiles } from './snapshot-manifest';
import type { TargetSession } from './target-session';

/** Manifests fetched at once for snapshots the cache does not know yet (one restic each). */
const MANIFEST_CONCURRENCY = 4;

/**
 * This spec's snapshots in the target with their sources and staged sizes. Sizes come from each
 * snapshot's manifest: fetched once per snapshot, then from the cache.
 */
export async function listSnapshots(session: TargetSession): Promise<Result<SnapshotRecord[]>> {
  const listed = await specSnapshots(session);
  if (!listed.ok) return listed;
  const snapshots = listed.value;
  await session.cache.keepOnly(new Set(snapshots.map((s) => s.id)));
  const latest = latestOf(snapshots, session.config.host);
  const records: SnapshotRecord[] = new Array(snapshots.length);
  let next = 0;
  const worker = async () => {
    while (next < snapshots.length && !session.signal.aborted) {
      const index = next++;
      const snapshot = snapshots[index] as ResticSnapshot;
      records[index] = await describe(session, snapshot, snapshot === latest);
    }
  };
  await Promise.all(Array.from({ length: MANIFEST_CONCURRENCY }, worker));
  return ok(records.filter(Boolean));
}

async function describe(
  session: TargetSession,
  snapshot: ResticSnapshot,
  latest: boolean,
): Promise<SnapshotRecord> {
  const layout = snapshotLayout(session, snapshot);
  const record: SnapshotRecord = {
    type: 'snapshot',
    target: session.target.name,
    id: snapshot.id,
    shortId: snapshot.shortId,
    time: snapshot.time,
    host: snapshot.host,
    tags: snapshot.tags,
    sources: layout.sources,
    latest,
  };
  const manifest = await snapshotManifest(session, snapshot, layout);
  if (manifest.ok) {
    const sourceBytes: Record<string, number> = {};
    for (const source of layout.sources)
      sourceBytes[source] = sourceFiles(manifest.value, source).reduce((n, f) => n + f.size, 0);
    record.sourceBytes = sourceBytes;
    record.bytes = Object.values(sourceBytes).reduce((n, b) => n + b, 0);
    record.runId = manifest.value.runId;
  } else if (snapshot.totalBytesProcessed !== undefined) {
    record.bytes = snapshot.totalBytesProcessed;
  }
  return record;
}
