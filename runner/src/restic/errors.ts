import type { RunnerError } from '../result';

/**
 * Maps a failed restic call to a clear error. restic 0.17+ has distinct exit codes (10 no
 * repository, 11 locked, 12 wrong password); 0.14 exits 1 for all of them, so its messages are
 * matched too.
 */
export function classifyResticFailure(
  exitCode: number | undefined,
  stderr: string,
  subject: string,
): RunnerError {
  const lastLines = stderr.trim().split('\n').slice(-3).join(' ').slice(0, 400);
  if (
    exitCode === 10 ||
    /Is there a repository at the following location\?|unable to open config file|repository does not exist/.test(
      stderr,
    )
  ) {
    return {
      code: 'restic-no-repository',
      message: `there is no restic repository at target "${subject}"`,
      subject,
      hint: 'create it with `backup-runner init`',
    };
  }
  if (exitCode === 12 || /wrong password or no key found/.test(stderr)) {
    return {
      code: 'restic-wrong-password',
      message: `the password of target "${subject}" does not open the repository`,
      subject,
      hint: 'check password_file / password of the target',
    };
  }
  if (exitCode === 11 || /repository is already locked|unable to create lock/.test(stderr)) {
    return {
      code: 'restic-locked',
      message: `the repository of target "${subject}" is locked by another restic process: ${lastLines}`,
      subject,
      hint: 'if no other backup runs, `restic unlock` removes stale locks',
    };
  }
  if (exitCode === 130)
    return { code: 'cancelled', message: `restic was interrupted (target "${subject}")`, subject };
  if (exitCode === 3) {
    return {
      code: 'restic-incomplete',
      message: `restic could not read some files for target "${subject}": ${lastLines}`,
      subject,
    };
  }
  return {
    code: 'restic-failed',
    message: `restic failed for target "${subject}" (exit ${exitCode ?? 'signal'}): ${lastLines}`,
    subject,
  };
}
