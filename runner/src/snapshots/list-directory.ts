import { posix } from 'node:path';
import type { ListingEntry, ListingRecord } from '../protocol';
import type { ResticListing, ResticNode } from '../restic/ls';
import { resticLs } from '../restic/ls';
import { stagesHostPaths } from '../sources/registry';
import type { ResticSnapshot } from '../restic/snapshots';
import type { Result } from '../result';
import { fail, ok } from '../result';
import { resolveCachedSnapshot, resolveSnapshot } from './resolve-snapshot';
import type { SnapshotLayout } from './snapshot-layout';
import { normalizeUserPath, snapshotLayout } from './snapshot-layout';
import type { TargetSession } from './target-session';

/**
 * One level of a snapshot, as sources and their files: `""` lists the sources, `config` the top
 * of the files source "config", `config/opt/torrust` a directory inside it. Each level is asked
 * of restic once and then served from the cache, which needs no repository at all when the
 * snapshot is named by an id the cache knows.
 */
export async function listDirectory(
  session: TargetSession,
  ref: string,
  path: string,
): Promise<Result<ListingRecord>> {
  const userPath = normalizeUserPath(path);
  if (!userPath.ok) return userPath;
  const offline = await resolveCachedSnapshot(session, ref);
  const snapshot = offline ? ok(offline) : await resolveSnapshot(session, ref);
  if (!snapshot.ok) return snapshot;
  const layout = snapshotLayout(session, snapshot.value);
  const record = (entries: ListingEntry[], cached: boolean): ListingRecord => ({
    type: 'listing',
    target: session.target.name,
    snapshotId: snapshot.value.id,
    path: userPath.value,
    entries,
    cached,
  });
  if (userPath.value === '')
    return ok(record(sourceEntries(session, layout), offline !== undefined));
  const source = layout.sourceOf(userPath.value);
  if (!source)
    return fail(
      'not-in-snapshot',
      `snapshot ${snapshot.value.shortId} has no source "${userPath.value.split('/')[0]}" (it holds ${layout.sources.join(', ') || 'none'})`,
      { subject: session.target.name },
    );
  const level = await readLevel(session, snapshot.value, layout.resticPath(userPath.value));
  if (!level.ok) return level;
  const { listing, cached } = level.value;
  if (!listing.node)
    return fail(
      'not-in-snapshot',
      `${userPath.value} is not in snapshot ${snapshot.value.shortId}`,
      {
        subject: session.target.name,
        hint: `backup-runner ls ${snapshot.value.shortId} ${posix.dirname(userPath.value)}`,
      },
    );
  const nodes = listing.node.type === 'dir' ? listing.children : [listing.node];
  const entries = nodes.flatMap((node) => {
    const entry = toEntry(session, layout, node);
    return entry ? [entry] : [];
  });
  return ok(record(entries.sort(byName), cached));
}

async function readLevel(
  session: TargetSession,
  snapshot: ResticSnapshot,
  resticPath: string,
): Promise<Result<{ listing: ResticListing; cached: boolean }>> {
  const cached = await session.cache.readListing(snapshot.id, resticPath);
  if (cached) return ok({ listing: cached, cached: true });
  const invocation = await session.invocation();
  if (!invocation.ok) return invocation;
  const listed = await resticLs(invocation.value, snapshot.id, resticPath, {
    signal: session.signal,
  });
  if (!listed.ok) return listed;
  await session.cache.writeListing(snapshot.id, resticPath, listed.value);
  return ok({ listing: listed.value, cached: false });
}

function sourceEntries(session: TargetSession, layout: SnapshotLayout): ListingEntry[] {
  return layout.sources.map((source) => {
    const type = sourceType(session, source);
    return {
      name: source,
      path: source,
      type: 'dir',
      source,
      ...(type ? { sourceType: type } : {}),
      ...(stagesHostPaths(type) ? { originalPath: '/' } : {}),
    };
  });
}

function toEntry(
  session: TargetSession,
  layout: SnapshotLayout,
  node: ResticNode,
): ListingEntry | undefined {
  const path = layout.userPath(node.path);
  const source = path === undefined ? undefined : layout.sourceOf(path);
  if (path === undefined || source === undefined) return undefined;
  const type = sourceType(session, source);
  const inner = path.slice(source.length);
  return {
    name: node.name,
    path,
    type:
      node.type === 'dir' || node.type === 'file' || node.type === 'symlink' ? node.type : 'other',
    source,
    ...(type ? { sourceType: type } : {}),
    ...(stagesHostPaths(type) ? { originalPath: inner === '' ? '/' : inner } : {}),
    ...(node.size !== undefined && node.type === 'file' ? { size: node.size } : {}),
    ...(node.mode !== undefined ? { mode: node.mode } : {}),
    ...(node.mtime !== undefined ? { mtime: node.mtime } : {}),
  };
}

/** The type of a source as the spec says it; a source the spec no longer has is untyped. */
export function sourceType(session: TargetSession, source: string): string | undefined {
  return session.config.sources.find((s) => s.name === source)?.source.type;
}

function byName(a: ListingEntry, b: ListingEntry): number {
  if ((a.type === 'dir') !== (b.type === 'dir')) return a.type === 'dir' ? -1 : 1;
  return a.name.localeCompare(b.name);
}
