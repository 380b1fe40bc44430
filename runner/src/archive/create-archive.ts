import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Pack } from 'tar';
import { create as createTar } from 'tar';
import type { ResolvedArchive } from '../config';
import { runChild } from '../process/start-child';
import type { Result, RunnerError } from '../result';
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
 * zlib) to `<dir>/<name>-<run-id>.<ext>`, under a temporary name until it is complete. The
 * runner writes the file itself (zstd only filters), so it is created 0600 whatever the umask
 * and the first real error (ENOSPC of a full disk) is the one reported, not the EPIPE it
 * causes upstream.
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
  let problem: RunnerError;
  try {
    const written = await writeArchive(runDir, archive, partial, signal);
    if (written.ok) {
      await rename(partial, path);
      return ok({ path, bytes: (await stat(path)).size });
    }
    problem = written.error;
  } catch (error) {
    problem = { code: 'archive-failed', message: errorMessage(error) };
  }
  // The directory itself may be what failed (ENOTDIR): removing the partial file must not throw.
  await rm(partial, { force: true }).catch(() => undefined);
  if (signal.aborted || problem.code === 'cancelled')
    return fail('cancelled', 'the archive was cancelled');
  return fail('archive-failed', `cannot write ${path}: ${problem.message}`, {
    ...(problem.hint ? { hint: problem.hint } : {}),
  });
}

async function writeArchive(
  runDir: string,
  archive: ResolvedArchive,
  partial: string,
  signal: AbortSignal,
): Promise<Result<void>> {
  await mkdir(archive.dir, { recursive: true, mode: 0o700 });
  const out = createWriteStream(partial, { flags: 'wx', mode: 0o600 });
  const tar = createTar({ cwd: runDir, portable: false, noDirRecurse: false }, ['.']);
  if (archive.format === 'tar.zst') return throughZstd(tar, archive.level, out, signal);
  if (archive.format === 'tar.gz')
    await pipeline(tar, createGzip({ level: Math.min(archive.level, 9) }), out, { signal });
  else await pipeline(tar, out, { signal });
  return ok(undefined);
}

/**
 * tar → zstd → our file. When the file cannot be written, zstd is stopped and that error
 * stands; the broken pipe it leaves on the tar side is only its consequence.
 */
async function throughZstd(
  tar: Pack,
  level: number,
  out: Writable,
  signal: AbortSignal,
): Promise<Result<void>> {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener('abort', onAbort);
  let outputError: unknown;
  let inputError: unknown;
  const piping: Promise<void>[] = [];
  try {
    const result = await runChild('zstd', [`-${level}`, '-T0', '-q', '-c'], {
      stdin: 'pipe',
      stdout: 'stream',
      signal: stop.signal,
      onSpawn: (child) => {
        if (!child.stdin || !child.stdout) return;
        piping.push(
          pipeline(tar, child.stdin).catch((error: unknown) => void (inputError = error)),
        );
        piping.push(
          pipeline(child.stdout, out).catch((error: unknown) => {
            outputError ??= error;
            stop.abort();
          }),
        );
      },
    });
    await Promise.all(piping);
    if (outputError !== undefined) return fail('archive-failed', errorMessage(outputError));
    if (result.spawnError === 'ENOENT')
      return fail('archive-failed', 'zstd is not installed', {
        hint: 'install zstd, or use archive.format tar.gz',
      });
    if (result.cancelled) return fail('cancelled', 'the archive was cancelled');
    if (result.exitCode !== 0)
      return fail(
        'archive-failed',
        `zstd exited with ${result.exitCode ?? result.signal}: ${result.stderr.trim()}`,
      );
    if (inputError !== undefined) return fail('archive-failed', errorMessage(inputError));
    return ok(undefined);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
