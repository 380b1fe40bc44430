import type { RunnerError } from '../result';
import { toolSaid } from '../result';
import type { ResticInvocation } from './invocation';

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
  const lastLines = whatResticSaid(stderr);
  const said = toolSaid(stderr);
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
      ...said,
      hint: 'create it with `backup-runner init`',
    };
  }
  if (exitCode === 12 || /wrong password or no key found/.test(stderr)) {
    return {
      code: 'restic-wrong-password',
      message: `the password of target "${subject}" does not open the repository`,
      subject,
      ...said,
      hint: 'check password_file / password of the target',
    };
  }
  // "unable to create lock in backend: <why>" is also what a full disk says: only "already
  // locked" is a lock held by another restic.
  if (exitCode === 11 || /repository is already locked/.test(stderr)) {
    return {
      code: 'restic-locked',
      message: `the repository of target "${subject}" is locked by another restic process: ${lastLines}`,
      subject,
      ...said,
      hint: 'if no other backup runs, `restic unlock` removes stale locks',
    };
  }
  if (/no space left on device/i.test(stderr)) {
    return {
      code: 'restic-no-space',
      message: `the repository of target "${subject}" is full: no space left on device (ENOSPC): ${lastLines}`,
      subject,
      ...said,
      hint: 'free space where the repository lives (or prune it); nothing was changed in it',
    };
  }
  if (exitCode === 130)
    return { code: 'cancelled', message: `restic was interrupted (target "${subject}")`, subject };
  if (exitCode === 3) {
    return {
      code: 'restic-incomplete',
      message: `restic could not read some files for target "${subject}": ${lastLines}`,
      subject,
      ...said,
    };
  }
  return {
    code: 'restic-failed',
    message: `restic failed for target "${subject}" (exit ${exitCode ?? 'signal'}): ${lastLines}`,
    subject,
    ...said,
  };
}

/**
 * The few lines of restic's stderr worth showing: restic 0.14 prints a Go stack trace after
 * some errors, and its last lines (runtime.goexit, ...) say nothing; the cause (a write that
 * failed with ENOSPC) is in the lines that are not frames.
 */
function whatResticSaid(stderr: string): string {
  const lines = stderr
    .trim()
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('\t'))
    .filter((line) => !/^(github\.com|golang\.org|gopkg\.in|main\.|runtime\.)\S*$/.test(line));
  const cause = lines.filter((line) =>
    /: (no space left on device|permission denied|read-only file system|input\/output error)/i.test(
      line,
    ),
  );
  return [...new Set([...cause.slice(-1), ...lines.slice(-3)])].join(' ').slice(0, 400);
}

/**
 * A restic call that outlived its bound: names the target, the command and which bound it was,
 * with what restic said last (an sftp that never answers leaves ssh waiting without a word).
 */
export function timeoutFailure(
  invocation: Pick<ResticInvocation, 'target'>,
  args: string[],
  probe: boolean,
  boundMs: number,
  stderr: string,
): RunnerError {
  const said = stderr.trim().split('\n').slice(-2).join(' ').slice(0, 300);
  const command = `restic ${args
    .filter((arg) => !arg.startsWith('-'))
    .slice(0, 2)
    .join(' ')}`;
  const what = probe
    ? `did not reach the repository of target "${invocation.target}" within ${formatSeconds(boundMs)} (timeouts.connect)`
    : `of target "${invocation.target}" did not finish within ${formatSeconds(boundMs)} (timeouts.operation)`;
  return {
    code: 'restic-timeout',
    message: `${command} ${what} and was stopped${said ? `; restic said: ${said}` : ''}`,
    subject: invocation.target,
    ...toolSaid(stderr),
    hint: probe
      ? 'is the repository reachable from here (host, port, firewall)? raise timeouts.connect of the target if it is just slow'
      : 'raise timeouts.operation of the target if the repository is just slow',
  };
}

function formatSeconds(ms: number): string {
  return ms % 60_000 === 0 && ms >= 60_000 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`;
}
