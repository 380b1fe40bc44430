import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Result } from '../../result';
import { errorMessage, fail, ok } from '../../result';

/**
 * Hands a small secret to a child as a file it opens by path, without the secret touching a disk:
 * a named pipe (FIFO) in a fresh 0700 directory, fed by us each time the child opens it.
 *
 * Why not an anonymous pipe as `/dev/fd/3`: Node (libuv) gives children socketpairs, never
 * pipes, and Linux cannot open `/proc/self/fd/N` of a socket (ENXIO), so `--defaults-extra-file
 * =/dev/fd/3` fails. A FIFO's content lives in the kernel's pipe buffer like an anonymous pipe's;
 * only its owner can reach the directory.
 */
export interface SecretFifo {
  path: string;
  /** Stops feeding (unblocking a pending open) and removes the FIFO and its directory. */
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
  const made = await execa('mkfifo', ['-m', '600', path], { reject: false, stdin: 'ignore' });
  if (made.exitCode !== 0) {
    await rm(dir, { recursive: true, force: true });
    return fail('secret-pipe-failed', `mkfifo failed: ${made.stderr || made.message}`);
  }

  let closed = false;
  // Each open for writing waits (in libuv's thread pool) until a reader opens the FIFO; then the
  // content is written and closed, which gives that reader its end of file. Looping serves a
  // reader that opens the file twice instead of leaving it blocked.
  const feeding = (async () => {
    while (!closed) {
      let writer: FileHandle | undefined;
      try {
        writer = await open(path, constants.O_WRONLY);
        if (!closed) await writer.write(content);
      } catch {
        return;
      } finally {
        await writer?.close().catch(() => undefined);
      }
    }
  })();

  return ok({
    path,
    close: async () => {
      if (closed) return;
      closed = true;
      // Open as a reader, never blocking, so the writer waiting in open() gets through and ends.
      const reader = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch(
        () => undefined,
      );
      await feeding;
      await reader?.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  });
}
