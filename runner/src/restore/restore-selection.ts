import { posix } from 'node:path';
import type { Result } from '../result';
import { fail, ok } from '../result';
import type { Manifest, ManifestEntry } from '../staging/manifest';
import { pathInSource } from '../snapshots/snapshot-layout';
import type { SnapshotLayout } from '../snapshots/snapshot-layout';

/** What a restore takes from a snapshot, in `<source>/<path>` form; "" is every source. */
export interface Selection {
  path: string;
  /** The sources it touches. */
  sources: string[];
}

export interface SelectionRequest {
  source?: string;
  path?: string;
}

/**
 * `--source tracker-db` → `tracker-db`; `--source config --path /opt/torrust/.env` →
 * `config/opt/torrust/.env`; `--path /opt/torrust/.env` alone → whichever source staged it,
 * found in the manifest.
 */
export function selectPaths(
  request: SelectionRequest,
  layout: SnapshotLayout,
  manifest: Manifest | undefined,
  typeOf: (source: string) => string | undefined,
): Result<Selection> {
  const { source, path } = request;
  if (source !== undefined && !layout.sources.includes(source))
    return fail(
      // A source the spec still has may be missing from an older snapshot; any other is a typo.
      typeOf(source) === undefined ? 'unknown-source' : 'not-in-snapshot',
      `the snapshot holds no source "${source}" (it holds ${layout.sources.join(', ') || 'none'})`,
    );
  if (path === undefined)
    return ok(
      source === undefined
        ? { path: '', sources: layout.sources }
        : { path: source, sources: [source] },
    );
  if (source !== undefined) {
    const inner = pathInSource(source, typeOf(source), path);
    return inner.ok ? ok({ path: inner.value, sources: [source] }) : inner;
  }
  if (!manifest)
    return fail('source-needed', `the snapshot has no manifest to find "${path}" in`, {
      hint: 'name the source with --source',
    });
  const candidates = layout.sources.flatMap((name) => {
    const inner = pathInSource(name, typeOf(name), path);
    return inner.ok && inManifest(manifest, inner.value)
      ? [{ path: inner.value, sources: [name] }]
      : [];
  });
  const [only] = candidates;
  if (candidates.length === 1 && only) return ok(only);
  if (candidates.length === 0)
    return fail('not-in-snapshot', `no source of the snapshot staged "${path}"`, {
      hint: 'backup-runner ls shows what the snapshot holds',
    });
  return fail(
    'source-needed',
    `"${path}" is in several sources (${candidates.map((c) => c.sources[0]).join(', ')})`,
    { hint: 'name one with --source' },
  );
}

export function inManifest(manifest: Manifest, path: string): boolean {
  return manifest.files.some((f) => f.path === path || f.path.startsWith(`${path}/`));
}

/** The manifest's entries a selection restores. */
export function selectedEntries(manifest: Manifest, selection: Selection): ManifestEntry[] {
  if (selection.path === '')
    return manifest.files.filter((f) => selection.sources.some((s) => f.path.startsWith(`${s}/`)));
  return manifest.files.filter(
    (f) => f.path === selection.path || f.path.startsWith(`${selection.path}/`),
  );
}

/**
 * Where a restored file lands under --to DIR: the whole snapshot as `DIR/<source>/...`, a source
 * as its own content (`DIR/tracker.db`, `DIR/opt/torrust/.env`), a file or directory under its
 * own name (`DIR/.env`).
 */
export function placedPath(selection: Selection, runPath: string): string {
  const chosen = selection.path;
  if (chosen === '') return runPath;
  if (selection.sources.includes(chosen))
    return runPath === chosen ? '' : runPath.slice(chosen.length + 1);
  return posix.basename(chosen) + runPath.slice(chosen.length);
}
