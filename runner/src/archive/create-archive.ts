import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { execa } from 'execa';
import { create as createTar } from 'tar';
import type { ResolvedArchive } from '../config';
import type { Result } from '../result';
import { errorMessage, fail, ok } from '../result';

const EXTENSIONS: Record<ResolvedArchive['format'], string> = {
  'tar.zst': '.tar.zst',
  'tar.gz': '.tar.gz',
  tar: '.tar',
};

export function archiveFileName(
  name: string,
  runId: string,
  format: ResolvedArchive['format'],
): string {
  return `${name}-${runId}${EXTENSIONS[format]}`;
}

export interface ArchiveResult {
  path: string;
  bytes: number;
}

/**
 * Writes one archive of a finished run (tar with modes and times, compressed by the zstd CLI or
 * zlib) to `<dir>/<name>-<run-id>.<ext>`, under a temporary name until it is complete.
 */
export async function createArchive(
  runDir: string,
  archive: ResolvedArchive,
  name: string,
  runId: string,
  signal: AbortSignal,
): Promise<Result<ArchiveResult>> {
  const path = join(archive.dir, archiveFileName(name, runId, archive.format));
  const partial = `${path}.partial`;
  try {
    await mkdir(archive.dir, { recursive: true, mode: 0o700 });
    const tar = createTar({ cwd: runDir, portable: false, noDirRecurse: false }, ['.']);
    if (archive.format === 'tar.zst') {
      const zstd = execa('zstd', [`-${archive.level}`, '-T0', '-q', '-f', '-o', partial], {
        stdin: 'pipe',
        cancelSignal: signal,
        reject: false,
      });
      if (!zstd.stdin) return fail('archive-failed', 'cannot start zstd');
      await pipeline(tar, zstd.stdin, { signal });
      const result = await zstd;
      if (result.exitCode !== 0) {
        await rm(partial, { force: true });
        const reason =
          (result as { code?: string }).code === 'ENOENT'
            ? 'zstd is not installed'
            : `zstd exited with ${result.exitCode ?? result.signal}`;
        return fail('archive-failed', `cannot write ${path}: ${reason}`, {
          hint: 'install zstd, or use archive.format tar.gz',
        });
      }
    } else if (archive.format === 'tar.gz') {
      await pipeline(
        tar,
        createGzip({ level: Math.min(archive.level, 9) }),
        createWriteStream(partial, { mode: 0o600 }),
        { signal },
      );
    } else {
      await pipeline(tar, createWriteStream(partial, { mode: 0o600 }), { signal });
    }
    await rename(partial, path);
    return ok({ path, bytes: (await stat(path)).size });
  } catch (error) {
    // The directory itself may be what failed (ENOTDIR): removing the partial file must not throw.
    await rm(partial, { force: true }).catch(() => undefined);
    if (signal.aborted) return fail('cancelled', 'the archive was cancelled');
    return fail('archive-failed', `cannot write ${path}: ${errorMessage(error)}`);
  }
}
