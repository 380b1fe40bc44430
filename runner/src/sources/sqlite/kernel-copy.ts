import { stat } from 'node:fs/promises';
import { runChild } from '../../process/start-child';

/** How often the growing copy's size is read for progress events. */
const PROGRESS_INTERVAL_MS = 250;

export type KernelCopyOutcome = 'done' | 'cancelled' | 'unavailable' | { error: string };

/**
 * Copies a whole file with `cp`, which copies inside the kernel (copy_file_range, or a reflink
 * clone on btrfs/XFS): the bytes never pass through user space, so it is the yardstick itself.
 * Copying through Node's buffers cost 1.3-5x that on our 2-core VMs, depending on the moment;
 * `dd` showed the same spread, so it is the user-space round trip, not Node. `cp` is a child
 * process: the event loop stays free, a cancel kills it at once, and progress is the size of
 * the target as it grows. The target must exist (it keeps its mode: cp truncates it in place).
 *
 * 'unavailable' when there is no `cp` to run; the caller then copies in user space.
 */
export async function copyFileInKernel(
  source: string,
  target: string,
  options: { signal: AbortSignal; onBytes: (bytesDone: number) => void },
): Promise<KernelCopyOutcome> {
  const { signal, onBytes } = options;
  const progress = setInterval(() => {
    stat(target).then(
      ({ size }) => onBytes(size),
      () => undefined,
    );
  }, PROGRESS_INTERVAL_MS);
  try {
    const run = await runChild('cp', ['--', source, target], { signal, forceKillAfterMs: 1000 });
    if (signal.aborted) return 'cancelled';
    if (run.spawnError === 'ENOENT') return 'unavailable';
    if (run.exitCode !== 0)
      return {
        error: run.stderr.trim() || `cp failed (${run.spawnError ?? run.signal ?? run.exitCode})`,
      };
    return 'done';
  } finally {
    clearInterval(progress);
  }
}
