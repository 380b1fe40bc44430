import type { ResticInvocation } from './invocation';
import type { ResticCallOptions } from './run-restic';
import { runResticOnce } from './run-restic';

/** A repository lock as `restic cat lock` shows it. */
export interface ResticLock {
  id: string;
  time: string;
  exclusive: boolean;
  hostname: string;
  username: string;
  pid: number;
}

/**
 * Who holds the repository's locks, read without taking a lock (`list locks`, `cat lock`, both
 * --no-lock). Best effort: an unreadable lock is left out.
 */
export async function repositoryLocks(
  invocation: ResticInvocation,
  options: Pick<ResticCallOptions, 'signal'>,
): Promise<ResticLock[]> {
  const listed = await runResticOnce(invocation, ['list', 'locks', '--no-lock'], options);
  if (!listed.ok) return [];
  const locks: ResticLock[] = [];
  for (const id of listed.value.stdout.split('\n').filter((line) => /^[0-9a-f]{64}$/.test(line))) {
    const shown = await runResticOnce(invocation, ['cat', 'lock', id, '--no-lock'], options);
    if (!shown.ok) continue;
    try {
      const value = JSON.parse(shown.value.stdout) as Partial<ResticLock>;
      locks.push({
        id,
        time: String(value.time ?? '?'),
        exclusive: value.exclusive === true,
        hostname: String(value.hostname ?? '?'),
        username: String(value.username ?? '?'),
        pid: Number(value.pid ?? 0),
      });
    } catch {
      // Not a lock we can read; the error still says the repository is locked.
    }
  }
  return locks;
}

export function describeLocks(locks: ResticLock[]): string {
  if (locks.length === 0) return 'by a lock that could not be read';
  return locks
    .map(
      (lock) =>
        `${lock.exclusive ? 'an exclusive' : 'a shared'} lock of restic PID ${lock.pid} on ${lock.hostname} (user ${lock.username}) since ${lock.time}`,
    )
    .join('; ');
}
