import type { ResticSnapshot } from '../restic/snapshots';
import { resticSnapshots } from '../restic/snapshots';
import { specTag } from '../restic/commands';
import type { Result } from '../result';
import { fail, ok } from '../result';
import type { TargetSession } from './target-session';

const SNAPSHOT_REF = /^[0-9a-f]{1,64}$/i;
/** restic's short ids have 8 digits; shorter prefixes are too easily ambiguous to trust offline. */
const OFFLINE_PREFIX_MIN = 8;

/** This spec's snapshots in the target (tag `backup-yaml:<name>`, any host), oldest first. */
export async function specSnapshots(session: TargetSession): Promise<Result<ResticSnapshot[]>> {
  const invocation = await session.invocation();
  if (!invocation.ok) return invocation;
  const listed = await resticSnapshots(invocation.value, specTag(session.config), {
    signal: session.signal,
  });
  if (!listed.ok) return listed;
  for (const snapshot of listed.value) await session.cache.writeSnapshot(snapshot);
  return listed;
}

/** The newest snapshot of this spec made on the spec's host. */
export function latestOf(snapshots: ResticSnapshot[], host: string): ResticSnapshot | undefined {
  return snapshots.filter((s) => s.host === host).at(-1);
}

export function isSnapshotRef(ref: string): boolean {
  return ref === 'latest' || SNAPSHOT_REF.test(ref);
}

/**
 * `latest`, or a full or short id, among this spec's snapshots only: another spec's snapshot in
 * the same repository has other sources and paths, so it is never picked.
 */
export async function resolveSnapshot(
  session: TargetSession,
  ref: string,
): Promise<Result<ResticSnapshot>> {
  if (!isSnapshotRef(ref))
    return fail('bad-snapshot-id', `"${ref}" is not a snapshot id (hex digits) or "latest"`);
  const listed = await specSnapshots(session);
  if (!listed.ok) return listed;
  return pick(session, listed.value, ref);
}

/**
 * A snapshot by id from the cache when it knows it (no `restic snapshots`: 0.3–1 s saved, the
 * repository's key derivation included), else as resolveSnapshot finds it. An id the cache
 * knows names that very snapshot for ever (see snapshot-cache.ts); if retention has forgotten
 * it since, the restic call that reads it says so.
 */
export async function resolveSnapshotCacheFirst(
  session: TargetSession,
  ref: string,
): Promise<Result<ResticSnapshot>> {
  const cached = await resolveCachedSnapshot(session, ref);
  return cached ? ok(cached) : resolveSnapshot(session, ref);
}

/** A snapshot known to the cache by a full id or a prefix of 8+ digits, without restic. */
export async function resolveCachedSnapshot(
  session: TargetSession,
  ref: string,
): Promise<ResticSnapshot | undefined> {
  if (ref === 'latest' || !SNAPSHOT_REF.test(ref) || ref.length < OFFLINE_PREFIX_MIN)
    return undefined;
  const ids = await session.cache.idsWithPrefix(ref.toLowerCase());
  return ids.length === 1 && ids[0] ? session.cache.readSnapshot(ids[0]) : undefined;
}

function pick(
  session: TargetSession,
  snapshots: ResticSnapshot[],
  ref: string,
): Result<ResticSnapshot> {
  const target = session.target.name;
  const name = session.config.name;
  if (snapshots.length === 0)
    return fail('no-snapshot', `target "${target}" holds no snapshot of "${name}"`, {
      subject: target,
      hint: 'run a backup first (backup-runner run)',
    });
  if (ref === 'latest') {
    const latest = latestOf(snapshots, session.config.host);
    if (latest) return ok(latest);
    const hosts = [...new Set(snapshots.map((s) => s.host))].join(', ');
    return fail(
      'no-snapshot',
      `target "${target}" holds no snapshot of "${name}" from host "${session.config.host}" (only from ${hosts})`,
      {
        subject: target,
        hint: 'give a snapshot id (backup-runner snapshots lists them), or set host: in the spec to the host that made them',
      },
    );
  }
  const matches = snapshots.filter((s) => s.id.startsWith(ref.toLowerCase()));
  const [match] = matches;
  if (matches.length === 1 && match) return ok(match);
  if (matches.length === 0)
    return fail('snapshot-not-found', `no snapshot ${ref} of "${name}" in target "${target}"`, {
      subject: target,
      hint: 'backup-runner snapshots lists them',
    });
  return fail(
    'snapshot-ambiguous',
    `${ref} matches ${matches.length} snapshots; give more digits`,
    {
      subject: target,
    },
  );
}
