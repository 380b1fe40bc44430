import type { FileHandle } from 'node:fs/promises';
import { copyRange } from './chunked-copy';
import type { CopyRequest } from './copy-request';
import { copyFileInKernel } from './kernel-copy';

export interface PageCopyOptions {
  pageCount: number;
  pageSize: number;
}

/**
 * Copies pages 1..pageCount of the database file into the target (open as `target`) and sizes
 * it to exactly that many pages: a database file may be longer than its snapshot (a checkpoint
 * grew it, or pages were freed and not yet truncated), and in WAL mode shorter (the newest pages
 * are still only in the WAL; the caller writes them). Runs while the caller's lock or read
 * transaction keeps the pages it needs from changing; who reads them does not matter.
 */
export async function copyPages(
  request: CopyRequest,
  target: FileHandle,
  { pageCount, pageSize }: PageCopyOptions,
): Promise<'done' | 'cancelled' | { error: string }> {
  const { signal } = request;
  const bytesTotal = pageCount * pageSize;
  const onBytes = (bytesDone: number) =>
    request.onBytes(Math.min(bytesDone, bytesTotal), bytesTotal);
  onBytes(0);
  const copied = await copyFileInKernel(request.databasePath, request.target, { signal, onBytes });
  if (copied === 'cancelled') return 'cancelled';
  if (typeof copied === 'object') return copied;
  if (copied === 'unavailable') {
    const inUserSpace = await copyRange(request.databaseFiles, target, {
      length: bytesTotal,
      signal,
      onBytes,
    });
    if (inUserSpace === 'cancelled') return 'cancelled';
  }
  await target.truncate(bytesTotal);
  onBytes(bytesTotal);
  return 'done';
}
