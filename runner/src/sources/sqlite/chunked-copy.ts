import type { FileHandle } from 'node:fs/promises';

/**
 * 256 KiB chunks: a buffer that stays in the CPU cache beats fewer, larger calls, since every
 * byte crosses it twice (kernel to us, us to kernel). Measured on 2 cores copying 1 GiB from a
 * warm page cache, median of 5 (`cp` 343 ms): 256 KiB 553 ms, 128 KiB 772 ms, 1 MiB 1,104 ms,
 * 4 MiB 1,417 ms and far more variable.
 */
const CHUNK_BYTES = 256 * 1024;

/**
 * How many descriptors of the source to copy with at once: as many as libuv has threads. Each
 * copies one contiguous quarter of the file through its own descriptor, so the kernel sees four
 * sequential readers and its readahead works. (Chunks of one descriptor handed out in turn
 * look random to it: on a busy machine, 2.0 s against 1.5 s per GiB from disk, 2.3 s against
 * 1.1 s from the page cache.)
 */
export const COPY_LANES = 4;

export interface CopyRangeOptions {
  /** Bytes to copy from offset 0; a shorter source leaves the rest to the caller. */
  length: number;
  signal: AbortSignal;
  onBytes: (bytesDone: number) => void;
}

/**
 * Copies the first `length` bytes of the source (open once per lane in `sources`) into the
 * same offsets of `target`, never blocking the event loop. Returns the bytes copied (fewer than
 * `length` when the source is shorter), or 'cancelled' as soon as the signal fires between two
 * chunks.
 */
export async function copyRange(
  sources: readonly FileHandle[],
  target: FileHandle,
  options: CopyRangeOptions,
): Promise<number | 'cancelled'> {
  const { length, signal, onBytes } = options;
  const regionBytes = Math.ceil(length / sources.length / CHUNK_BYTES) * CHUNK_BYTES;
  let bytesDone = 0;
  let failed = false;
  const lane = async (source: FileHandle, index: number): Promise<void> => {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    const end = Math.min(length, (index + 1) * regionBytes);
    try {
      for (let at = index * regionBytes; at < end && !signal.aborted && !failed;) {
        const bytesRead = await readFully(source, buffer, Math.min(CHUNK_BYTES, end - at), at);
        if (bytesRead === 0) return; // the source ends here
        await writeFully(target, buffer, bytesRead, at);
        at += bytesRead;
        bytesDone += bytesRead;
        onBytes(bytesDone);
      }
    } catch (error) {
      failed = true; // the other lanes stop after their current chunk
      throw error;
    }
  };
  // Every lane has stopped before we return, even when one failed: the caller closes the files.
  const lanes = await Promise.allSettled(sources.map(lane));
  const failure = lanes.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
  if (signal.aborted) return 'cancelled';
  return bytesDone;
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
