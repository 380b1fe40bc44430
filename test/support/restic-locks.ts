import { mkfifo } from './fifo';
import { readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResultPromise } from 'execa';
import { execa } from 'execa';

const env = (repository: string, passwordFile: string) => ({
  RESTIC_REPOSITORY: repository,
  RESTIC_PASSWORD_FILE: passwordFile,
});

/**
 * The repository's locks. A restic killed with -9 while it wrote one may also leave an
 * `<id>-tmp-<n>` file there: its local backend's half-written file, which no restic takes for a
 * lock; those are not counted.
 */
export async function lockFiles(repository: string): Promise<string[]> {
  const names = await readdir(join(repository, 'locks')).catch(() => [] as string[]);
  return names.filter((name) => /^[0-9a-f]{64}$/.test(name));
}

async function waitForMoreLocks(repository: string, before: number, child: ResultPromise) {
  let exited = false;
  void child.then(() => (exited = true));
  for (let i = 0; i < 1200; i++) {
    if ((await lockFiles(repository)).length > before) return;
    if (exited)
      throw new Error(`restic ended before it locked ${repository}: ${(await child).stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no lock appeared in ${repository}`);
}

export interface LockHolder {
  pid: number;
  /** Ends the holder (SIGINT: it removes its lock) or kills it with -9 (the lock stays, stale). */
  release(): Promise<void>;
  kill(): Promise<void>;
}

/**
 * A live restic that holds a repository lock until told otherwise, deterministically:
 * - shared: `restic key add` locks, then waits for the new password on a stdin that never
 *   gives one;
 * - exclusive: `restic check --read-data` locks the whole repository, then blocks opening a
 *   pack file that was swapped for a FIFO (the real pack is put back once the holder is gone).
 */
export async function holdLock(
  repository: string,
  passwordFile: string,
  kind: 'shared' | 'exclusive',
): Promise<LockHolder> {
  const before = (await lockFiles(repository)).length;
  let restorePack = async () => undefined as void;
  if (kind === 'exclusive') {
    const pack = await firstPack(repository);
    await rename(pack, `${pack}.aside`);
    await mkfifo(pack);
    restorePack = () => rename(`${pack}.aside`, pack);
  }
  const child = execa('restic', kind === 'shared' ? ['key', 'add'] : ['check', '--read-data'], {
    env: env(repository, passwordFile),
    stdin: 'pipe',
    reject: false,
  });
  try {
    await waitForMoreLocks(repository, before, child);
  } catch (error) {
    child.kill('SIGKILL');
    await child;
    await restorePack();
    throw error;
  }
  const end = async (signal: NodeJS.Signals) => {
    child.kill(signal);
    await child;
    await restorePack();
  };
  return { pid: child.pid ?? 0, release: () => end('SIGINT'), kill: () => end('SIGKILL') };
}

/** The repository's locks as restic shows them, for a failure message. */
export async function describeLocks(repository: string, passwordFile: string): Promise<string> {
  const shown: string[] = [];
  for (const id of await lockFiles(repository)) {
    const lock = await execa('restic', ['cat', 'lock', id, '--no-lock'], {
      env: env(repository, passwordFile),
      reject: false,
    });
    shown.push(String(lock.stdout || lock.stderr));
  }
  return shown.join('\n');
}

/** `restic unlock`: removes the stale locks a test left, so the next test starts clean. */
export async function removeStaleLocks(repository: string, passwordFile: string): Promise<void> {
  await execa('restic', ['unlock'], { env: env(repository, passwordFile), reject: false });
}

/** What a restic killed with -9 leaves behind: a lock whose PID is dead on this host. */
export async function leaveStaleLock(
  repository: string,
  passwordFile: string,
  kind: 'shared' | 'exclusive',
): Promise<void> {
  await (await holdLock(repository, passwordFile, kind)).kill();
}

async function firstPack(repository: string): Promise<string> {
  const data = join(repository, 'data');
  for (const dir of (await readdir(data)).sort()) {
    const [pack] = await readdir(join(data, dir));
    if (pack) return join(data, dir, pack);
  }
  throw new Error(`${repository} holds no pack yet: back something up first`);
}
