import type { FileHandle } from 'node:fs/promises';

/** Large enough that per-call overhead vanishes, small enough to stop promptly. */
const CHUNK_BYTES = 4 * 1024 * 1024;
/**
 * Chunks in flight at once, each read then written by its own lane: as many as libuv's thread
 * pool has threads, so reads and writes overlap. Measured on 2 cores (1 GiB, page cache warm):
 * 4 lanes of 4 MiB came closest to `cp`, which copies inside the kernel.
 */
const LANES = 4;

export interface CopyRangeOptions {
  /** Bytes to copy from offset 0; a shorter source leaves the rest to the caller. */
  length: number;
  signal: AbortSignal;
  onBytes: (bytesDone: number) => void;
}

/**
 * Copies the first `length` bytes of `source` into the same offsets of `target` in 4 MiB chunks,
 * never blocking the event loop. Returns the bytes copied (less than `length` when the source
 * is shorter), or 'cancelled' as soon as the signal fires between two chunks.
 */
export async function copyRange(
  source: FileHandle,
  target: FileHandle,
  options: CopyRangeOptions,
): Promise<number | 'cancelled'> {
  const { length, signal, onBytes } = options;
  let nextOffset = 0;
  let bytesDone = 0;
  let end = length;
  let failed = false;
  const lane = async (): Promise<void> => {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    try {
      while (nextOffset < end && !signal.aborted && !failed) {
        const at = nextOffset;
        nextOffset += CHUNK_BYTES;
        const want = Math.min(CHUNK_BYTES, end - at);
        const bytesRead = await readFully(source, buffer, want, at);
        if (bytesRead < want) end = Math.min(end, at + bytesRead);
        await writeFully(target, buffer, bytesRead, at);
        bytesDone += bytesRead;
        onBytes(bytesDone);
      }
    } catch (error) {
      failed = true; // the other lanes stop after their current chunk
      throw error;
    }
  };
  // Every lane has stopped before we return, even when one failed: the caller closes the files.
  const lanes = await Promise.allSettled(Array.from({ length: LANES }, lane));
  const failure = lanes.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
  if (signal.aborted) return 'cancelled';
  return Math.min(end, length);
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
