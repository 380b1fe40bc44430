import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChild } from './process/start-child';
import type { Result } from './result';
import { errorMessage, fail, ok } from './result';

/**
 * Hands a small secret to a child as a file it opens by path, without the secret touching a disk:
 * a named pipe (FIFO) in a fresh 0700 directory, fed once and removed as soon as it is read.
 *
 * Why not an anonymous pipe as `/dev/fd/3`: Node (libuv) gives children socketpairs, never
 * pipes, and Linux cannot open `/proc/self/fd/N` of a socket (ENXIO), so `--defaults-extra-file
 * =/dev/fd/3` fails. A FIFO's content lives in the kernel's pipe buffer like an anonymous pipe's;
 * only its owner can reach the directory, and only until the child has opened it.
 */
export interface SecretFifo {
  path: string;
  /** Resolves once the child has opened the FIFO and the secret is written (or close() ran). */
  consumed: Promise<void>;
  /** Stops waiting for a reader (when the child never opened it) and removes the FIFO. */
  close(): Promise<void>;
}

export async function openSecretFifo(content: string): Promise<Result<SecretFifo>> {
  let dir: string;
  try {
    dir = await mkdtemp(join(tmpdir(), 'backup-runner-secret-'));
  } catch (error) {
    return fail('secret-pipe-failed', `cannot create a private directory: ${errorMessage(error)}`);
  }
  const path = join(dir, 'client.cnf');
  const made = await runChild('mkfifo', ['-m', '600', path], { timeoutMs: 30_000 });
  if (made.exitCode !== 0) {
    await rm(dir, { recursive: true, force: true });
    return fail(
      'secret-pipe-failed',
      `mkfifo failed: ${made.stderr.trim() || made.spawnError || `exit ${made.exitCode ?? made.signal}`}`,
    );
  }

  let closed = false;
  // Opening for writing waits (in libuv's thread pool) until a reader opens the FIFO; closing
  // after the write gives that reader its end of file. The FIFO is then removed, so the secret
  // is served exactly once.
  const consumed = (async () => {
    let writer: FileHandle | undefined;
    try {
      writer = await open(path, constants.O_WRONLY);
      if (!closed) await writer.write(content);
    } catch {
      // The reader went away; the dump fails on its own and says why.
    } finally {
      await writer?.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    }
  })();

  return ok({
    path,
    consumed,
    close: async () => {
      if (closed) return;
      closed = true;
      // Open as a reader without blocking, so a writer still waiting in open() gets through.
      const reader = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch(
        () => undefined,
      );
      await consumed;
      await reader?.close().catch(() => undefined);
    },
  });
}
