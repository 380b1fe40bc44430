import { posix } from 'node:path';
import type { ResticSnapshot } from '../restic/snapshots';
import type { Result } from '../result';
import { fail, ok } from '../result';
import { MANIFEST_NAME, StagingLayout } from '../staging/layout';
import { stagesHostPaths } from '../sources/registry';
import type { TargetSession } from './target-session';

const SOURCE_TAG = 'source:';

/**
 * How a snapshot made by `run` is laid out, and how the paths people use map onto it. A run
 * backs up `<staging.dir>/current/<source>` and `<staging.dir>/current/manifest.json`; people
 * think in `<source>/<path inside it>` (`config/opt/torrust/.env`, `tracker-db`). The run
 * directory is taken from the snapshot's own paths, so a later change of `staging.dir` does not
 * break restores of older snapshots.
 */
export class SnapshotLayout {
  private constructor(
    /** The run directory at backup time: `<staging.dir>/current`. */
    readonly root: string,
    /** The sources the snapshot holds, in tag order. */
    readonly sources: string[],
  ) {}

  static of(snapshot: ResticSnapshot, fallbackRoot: string): SnapshotLayout {
    const manifest = snapshot.paths.find((path) => posix.basename(path) === MANIFEST_NAME);
    const root = manifest ? posix.dirname(manifest) : fallbackRoot;
    const tagged = snapshot.tags
      .filter((tag) => tag.startsWith(SOURCE_TAG))
      .map((tag) => tag.slice(SOURCE_TAG.length));
    const fromPaths = snapshot.paths
      .filter((path) => posix.dirname(path) === root && path !== manifest)
      .map((path) => posix.basename(path));
    return new SnapshotLayout(root, [...new Set([...tagged, ...fromPaths])]);
  }

  get manifestPath(): string {
    return posix.join(this.root, MANIFEST_NAME);
  }

  /** `config/opt/torrust` → `<root>/config/opt/torrust`; "" → the root. */
  resticPath(userPath: string): string {
    return userPath === '' ? this.root : posix.join(this.root, userPath);
  }

  /** The inverse of resticPath; undefined for a path outside the run directory. */
  userPath(resticPath: string): string | undefined {
    if (resticPath === this.root) return '';
    const prefix = `${this.root}/`;
    return resticPath.startsWith(prefix) ? resticPath.slice(prefix.length) : undefined;
  }

  sourceOf(userPath: string): string | undefined {
    const first = userPath.split('/')[0] ?? '';
    return this.sources.includes(first) ? first : undefined;
  }
}

/**
 * The layout of one of this spec's snapshots. A snapshot without manifest.json falls back on the
 * run directory of the spec's current `staging.dir`.
 */
export function snapshotLayout(session: TargetSession, snapshot: ResticSnapshot): SnapshotLayout {
  return SnapshotLayout.of(snapshot, new StagingLayout(session.config.staging.dir).current);
}

/**
 * A path as typed (`config/opt/torrust/`, `/config//opt`) in the canonical form
 * `config/opt/torrust`; "" for the root. `..` is refused: a restore never leaves its directory.
 */
export function normalizeUserPath(path: string): Result<string> {
  const parts = path.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..'))
    return fail('bad-path', `"${path}" contains "..": name a path inside the snapshot`);
  return ok(parts.join('/'));
}

/**
 * Where a user names a file of a source: for a files source the path on the host
 * (`/opt/torrust/.env`, staged as `config/opt/torrust/.env`); for a database source the staged
 * file's name or the database's own path (only its base name counts).
 */
export function pathInSource(
  source: string,
  sourceType: string | undefined,
  path: string,
): Result<string> {
  if (stagesHostPaths(sourceType)) {
    const inner = normalizeUserPath(path);
    return inner.ok ? ok(posix.join(source, inner.value)) : inner;
  }
  const name = posix.basename(path);
  if (name === '' || name === '..' || name === '.')
    return fail('bad-path', `"${path}" names no file of source "${source}"`);
  return ok(posix.join(source, name));
}
