import type { Result } from '../result';
import { fail, ok } from '../result';
import type { ResticInvocation } from './invocation';
import type { ResticCallOptions } from './run-restic';
import { runRestic } from './run-restic';

/**
 * `restic restore` of some paths of a snapshot into a directory. restic 0.14 has no
 * `snapshot:subfolder`, so the paths are includes and land under their full path in `target`.
 */
export function restoreArgs(snapshotId: string, target: string, paths: string[]): string[] {
  return [
    'restore',
    snapshotId,
    '--target',
    target,
    ...paths.flatMap((path) => ['--include', includePattern(path)]),
  ];
}

/** Include patterns are globs: a path with `*`, `?`, `[` or `\` in it must match only itself. */
export function includePattern(path: string): string {
  return path.replace(/[\\*?[]/g, (char) => `\\${char}`);
}

export async function resticRestore(
  invocation: ResticInvocation,
  snapshotId: string,
  target: string,
  paths: string[],
  options: ResticCallOptions,
): Promise<Result<void>> {
  const result = await runRestic(invocation, restoreArgs(snapshotId, target, paths), options);
  return result.ok ? ok(undefined) : result;
}

/** The content of one small file of a snapshot (a manifest), through `restic dump`. */
export async function resticDumpText(
  invocation: ResticInvocation,
  snapshotId: string,
  path: string,
  options: ResticCallOptions,
): Promise<Result<string>> {
  const result = await runRestic(invocation, ['dump', snapshotId, path], options);
  if (result.ok) return ok(result.value.stdout);
  if (/not found in snapshot|cannot dump file/.test(result.error.message))
    return fail('not-in-snapshot', `${path} is not in snapshot ${snapshotId.slice(0, 8)}`, {
      subject: invocation.target,
    });
  return result;
}
