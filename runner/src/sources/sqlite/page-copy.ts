import type { FileHandle } from 'node:fs/promises';
import { copyRange } from './chunked-copy';

export interface PageCopyOptions {
  pageCount: number;
  pageSize: number;
  signal: AbortSignal;
  onBytes: (bytesDone: number, bytesTotal: number) => void;
}

/**
 * Copies pages 1..pageCount of a database file into `target` and sizes the target to exactly
 * that many pages: a database file may be longer than its snapshot (a checkpoint grew it, or
 * pages were freed and not yet truncated), and in WAL mode shorter (the newest pages are still
 * only in the WAL; the caller writes them).
 */
export async function copyPages(
  source: FileHandle,
  target: FileHandle,
  options: PageCopyOptions,
): Promise<'done' | 'cancelled'> {
  const { pageCount, pageSize, signal, onBytes } = options;
  const bytesTotal = pageCount * pageSize;
  const copied = await copyRange(source, target, {
    length: bytesTotal,
    signal,
    onBytes: (bytesDone) => onBytes(bytesDone, bytesTotal),
  });
  if (copied === 'cancelled') return 'cancelled';
  await target.truncate(bytesTotal);
  return 'done';
}
