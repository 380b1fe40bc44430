import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Result } from '../result';
import { errorMessage, fail, ok } from '../result';
import { sha256File } from './file-digest';
import { MANIFEST_NAME } from './layout';

export { sha256File } from './file-digest';

export interface ManifestEntry {
  /** Relative to the run directory: `<source>/...`. */
  path: string;
  type: 'file' | 'symlink';
  size: number;
  /** Hex sha256 of the content (of the link text for symlinks). */
  sha256: string;
  mode: number;
  mtime: string;
}

export interface ManifestSource {
  type: string;
  metadata: Record<string, unknown>;
}

/** `manifest.json` at the root of every run: what was staged, so a restore can be verified. */
export interface Manifest {
  manifestVersion: 1;
  runId: string;
  name: string;
  host: string;
  createdAt: string;
  runnerVersion: string;
  sources: Record<string, ManifestSource>;
  files: ManifestEntry[];
}

/** Hashes every staged file (sources run first; this reads what they wrote). */
export async function buildManifest(
  runDir: string,
  header: Omit<Manifest, 'manifestVersion' | 'files' | 'createdAt'>,
  signal: AbortSignal,
  onBytes: (bytes: number) => void,
): Promise<Result<Manifest>> {
  const files: ManifestEntry[] = [];
  try {
    for await (const path of walk(runDir, runDir)) {
      if (signal.aborted) return fail('cancelled', 'the manifest was cancelled');
      const info = await lstat(path);
      const entry = {
        path: relative(runDir, path),
        size: info.size,
        mode: info.mode & 0o7777,
        mtime: info.mtime.toISOString(),
      };
      if (info.isSymbolicLink()) {
        files.push({ ...entry, type: 'symlink', sha256: sha256Text(await readlink(path)) });
      } else {
        files.push({ ...entry, type: 'file', sha256: await sha256File(path, onBytes) });
      }
    }
  } catch (error) {
    return fail('staging-io', `cannot hash the staged files: ${errorMessage(error)}`);
  }
  const manifest: Manifest = {
    manifestVersion: 1,
    ...header,
    createdAt: new Date().toISOString(),
    files,
  };
  try {
    await writeFile(join(runDir, MANIFEST_NAME), `${JSON.stringify(manifest, null, 2)}\n`, {
      mode: 0o600,
    });
  } catch (error) {
    return fail('staging-io', `cannot write ${MANIFEST_NAME}: ${errorMessage(error)}`);
  }
  return ok(manifest);
}

export async function readManifest(runDir: string): Promise<Result<Manifest>> {
  try {
    return ok(JSON.parse(await readFile(join(runDir, MANIFEST_NAME), 'utf8')) as Manifest);
  } catch (error) {
    return fail(
      'manifest-unreadable',
      `cannot read ${join(runDir, MANIFEST_NAME)}: ${errorMessage(error)}`,
    );
  }
}

/** Every file and symlink under dir, in a stable order; the run's own manifest excluded. */
async function* walk(dir: string, root: string): AsyncGenerator<string> {
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path, root);
    else if (
      (entry.isFile() || entry.isSymbolicLink()) &&
      !(dir === root && entry.name === MANIFEST_NAME)
    )
      yield path;
  }
}

function sha256Text(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
