import { runChild } from '../process/start-child';
import type { Result } from '../result';
import { fail, ok } from '../result';

export interface ResticVersion {
  major: number;
  minor: number;
  patch: number;
  text: string;
}

let cached: Promise<Result<ResticVersion>> | undefined;

/** `restic version` once per process: features differ between Debian's 0.14 and newer releases. */
export function detectRestic(): Promise<Result<ResticVersion>> {
  cached ??= probe();
  return cached;
}

async function probe(): Promise<Result<ResticVersion>> {
  const result = await runChild('restic', ['version'], { timeoutMs: 30_000 });
  const match = /restic (\d+)\.(\d+)\.(\d+)/.exec(result.stdout);
  if (result.exitCode !== 0 || !match) {
    return fail('restic-missing', 'restic is not installed or does not run', {
      hint: 'install it (Debian: apt-get install restic; 0.14 or newer)',
    });
  }
  const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (major === 0 && minor < 14) {
    return fail(
      'restic-too-old',
      `restic ${match[0]} is too old; backup-yaml needs 0.14 or newer (compression, repository format 2)`,
    );
  }
  return ok({ major, minor, patch, text: `${major}.${minor}.${patch}` });
}

export function atLeast(version: ResticVersion, major: number, minor: number): boolean {
  return version.major > major || (version.major === major && version.minor >= minor);
}
