import type { FileHandle } from 'node:fs/promises';
import { writeFully } from './chunked-copy';
import type { WalSnapshotFrames } from './wal-frames';
import { WAL_FRAME_HEADER_BYTES, frameOffset } from './wal-frames';

/** Pages read and written concurrently: enough to keep the thread pool busy. */
const PAGES_PER_BATCH = 64;

/**
 * Writes into the copy, for every page of the snapshot that has a frame in the WAL, the page
 * image of its newest frame at or before the commit frame: what SQLite itself would read for
 * that page in the snapshot. Pages beyond the snapshot's size (a later commit of the snapshot
 * shrank the database) are skipped. Returns how many pages were written, or 'cancelled'.
 */
export async function applyWalFrames(
  wal: FileHandle,
  target: FileHandle,
  frames: WalSnapshotFrames,
  pageCount: number,
  signal: AbortSignal,
): Promise<number | 'cancelled'> {
  const { pageSize, newestFrameOfPage } = frames;
  const pages = [...newestFrameOfPage.entries()]
    .filter(([page]) => page <= pageCount)
    .sort(([a], [b]) => a - b);
  const buffers = Array.from({ length: PAGES_PER_BATCH }, () => Buffer.allocUnsafe(pageSize));
  for (let start = 0; start < pages.length; start += PAGES_PER_BATCH) {
    if (signal.aborted) return 'cancelled';
    const batch = pages.slice(start, start + PAGES_PER_BATCH);
    await Promise.all(
      batch.map(async ([page, frame], i) => {
        const buffer = buffers[i]!;
        const at = frameOffset(frame, pageSize) + WAL_FRAME_HEADER_BYTES;
        const { bytesRead } = await wal.read(buffer, 0, pageSize, at);
        if (bytesRead !== pageSize) throw new Error(`short read of WAL frame ${frame}`);
        await writeFully(target, buffer, pageSize, (page - 1) * pageSize);
      }),
    );
  }
  return pages.length;
}
