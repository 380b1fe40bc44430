import { resticDumpText } from '../restic/restore';
import type { ResticSnapshot } from '../restic/snapshots';
import type { Result } from '../result';
import { fail, ok } from '../result';
import type { Manifest } from '../staging/manifest';
import type { SnapshotLayout } from './snapshot-layout';
import type { TargetSession } from './target-session';

/** The manifest.json a snapshot holds, from the cache or through `restic dump`. */
export async function snapshotManifest(
  session: TargetSession,
  snapshot: ResticSnapshot,
  layout: SnapshotLayout,
): Promise<Result<Manifest>> {
  const cached = await session.cache.readManifestText(snapshot.id);
  if (cached !== undefined) {
    const manifest = parseManifest(cached);
    if (manifest) return ok(manifest);
  }
  const invocation = await session.invocation();
  if (!invocation.ok) return invocation;
  const text = await resticDumpText(invocation.value, snapshot.id, layout.manifestPath, {
    signal: session.signal,
  });
  if (!text.ok) return text;
  const manifest = parseManifest(text.value);
  if (!manifest)
    return fail(
      'manifest-unreadable',
      `the manifest of snapshot ${snapshot.shortId} is not valid`,
      {
        subject: session.target.name,
      },
    );
  await session.cache.writeManifestText(snapshot.id, text.value);
  return ok(manifest);
}

export function parseManifest(text: string): Manifest | undefined {
  try {
    const value = JSON.parse(text) as Partial<Manifest>;
    if (value.manifestVersion !== 1 || !Array.isArray(value.files) || !value.sources)
      return undefined;
    return value as Manifest;
  } catch {
    return undefined;
  }
}

/** The manifest's files of one source (paths start with `<source>/`). */
export function sourceFiles(manifest: Manifest, source: string): Manifest['files'] {
  return manifest.files.filter((file) => file.path.startsWith(`${source}/`));
}
