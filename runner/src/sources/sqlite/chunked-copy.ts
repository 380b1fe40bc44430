import type { FileHandle } from 'node:fs/promises';

/** Large enough that per-call overhead vanishes (cp-like speed), small enough to stop promptly. */
const CHUNK_BYTES = 8 * 1024 * 1024;

export interface CopyRangeOptions {
  /** Bytes to copy from offset 0; a shorter source leaves the rest to the caller. */
  length: number;
  signal: AbortSignal;
  onBytes: (bytesDone: number) => void;
}

/**
 * Copies the first `length` bytes of `source` into `target` in 8 MiB chunks, reading the next
 * chunk while the previous one is written. Returns the bytes copied (less than `length` when the
 * source is shorter), or 'cancelled' as soon as the signal fires between two chunks.
 */
export async function copyRange(
  source: FileHandle,
  target: FileHandle,
  options: CopyRangeOptions,
): Promise<number | 'cancelled'> {
  const { length, signal, onBytes } = options;
  const buffers = [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)] as const;
  let position = 0;
  let writing: Promise<unknown> = Promise.resolve();
  for (let turn = 0; position < length; turn++) {
    if (signal.aborted) {
      await writing;
      return 'cancelled';
    }
    const buffer = buffers[turn % 2]!;
    const bytesRead = await readFully(
      source,
      buffer,
      Math.min(CHUNK_BYTES, length - position),
      position,
    );
    await writing;
    if (bytesRead === 0) break;
    const at = position;
    position += bytesRead;
    writing = writeFully(target, buffer, bytesRead, at).then(() => onBytes(at + bytesRead));
    // Awaited on the next turn; until then a failed write must not count as unhandled.
    writing.catch(() => undefined);
  }
  await writing;
  return position;
}

async function readFully(file: FileHandle, buffer: Buffer, length: number, position: number) {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await file.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}

export async function writeFully(
  file: FileHandle,
  buffer: Uint8Array,
  length: number,
  position: number,
): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesWritten } = await file.write(buffer, done, length - done, position + done);
    done += bytesWritten;
  }
}
