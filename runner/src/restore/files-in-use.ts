import { readdir, readFile, readlink, stat } from 'node:fs/promises';
import type { Result } from '../result';
import { fail, ok } from '../result';

/** A process that has one of the files open, or holds a lock on it. */
export interface FileHolder {
  pid: number;
  command: string;
  path: string;
  how: 'open' | 'lock';
}

export interface InUseReport {
  holders: FileHolder[];
  /** Processes whose open files this user may not see (other users' processes, without root). */
  hiddenProcesses: number;
}

/**
 * Who uses these files right now, from two views of the kernel:
 * - `/proc/locks` lists every POSIX lock of every process, readable by anyone. A SQLite
 *   connection in WAL mode holds a shared lock on the database and on its `-shm` for as long as
 *   it is open, and any connection inside a transaction holds one on the database.
 * - `/proc/<pid>/fd` shows each open file, for the processes this user may inspect (all of them
 *   as root), matched by device and inode, never by path. It also catches an idle connection
 *   in rollback-journal mode, which holds no lock.
 * Our own process is left out: the runner itself never holds the files it asks about.
 */
export async function findFileHolders(paths: string[]): Promise<InUseReport> {
  const byInode = new Map<string, string>();
  const inodes = new Map<string, string>();
  for (const path of paths) {
    const info = await stat(path, { bigint: true }).catch(() => undefined);
    if (!info) continue;
    byInode.set(`${info.dev}:${info.ino}`, path);
    inodes.set(lockKey(info.dev, info.ino), path);
  }
  if (byInode.size === 0) return { holders: [], hiddenProcesses: 0 };
  const holders: FileHolder[] = [];
  const seen = new Set<string>();
  const add = (holder: Omit<FileHolder, 'command'>, command: string) => {
    const key = `${holder.pid}:${holder.path}:${holder.how}`;
    if (holder.pid === process.pid || seen.has(key)) return;
    seen.add(key);
    holders.push({ ...holder, command });
  };

  const locks = await readFile('/proc/locks', 'utf8').catch(() => '');
  for (const line of locks.split('\n')) {
    // "1: POSIX  ADVISORY  READ 9322 fe:00:2171811 128 128" (a blocked waiter has "->" first)
    const match =
      /^\d+:\s+(?:->\s+)?\S+\s+\S+\s+\S+\s+(-?\d+)\s+([0-9a-f]+):([0-9a-f]+):(\d+)\s/.exec(line);
    if (!match) continue;
    const [, pid, major, minor, inode] = match as unknown as [
      string,
      string,
      string,
      string,
      string,
    ];
    const path = inodes.get(`${parseInt(major, 16)}:${parseInt(minor, 16)}:${inode}`);
    // An open file description lock (OFDLCK) belongs to no PID: /proc/locks says -1.
    if (path)
      add(
        { pid: Number(pid), path, how: 'lock' },
        pid === '-1' ? 'a process (OFD lock)' : await commandOf(Number(pid)),
      );
  }

  let hiddenProcesses = 0;
  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((n) => /^\d+$/.test(n));
  for (const pid of pids) {
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => undefined);
    if (!fds) {
      hiddenProcesses++;
      continue;
    }
    for (const fd of fds) {
      // stat follows the descriptor to the file itself: a hard link, a bind mount or a path in
      // another mount namespace (a container's volume) is the same device and inode.
      const info = await stat(`/proc/${pid}/fd/${fd}`, { bigint: true }).catch(() => undefined);
      const path = info ? byInode.get(`${info.dev}:${info.ino}`) : undefined;
      if (path) add({ pid: Number(pid), path, how: 'open' }, await commandOf(Number(pid)));
    }
  }
  return { holders, hiddenProcesses };
}

/** `major:minor:inode` as /proc/locks prints them (glibc's split of a dev_t). */
function lockKey(dev: bigint, ino: bigint): string {
  const d = dev;
  const major = ((d >> 8n) & 0xfffn) | ((d >> 32n) & 0xfffff000n);
  const minor = (d & 0xffn) | ((d >> 12n) & 0xffffff00n);
  return `${major}:${minor}:${ino}`;
}

async function commandOf(pid: number): Promise<string> {
  const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '?');
  return comm.trim();
}

export function describeHolders(report: InUseReport): string {
  return report.holders
    .map((h) => `${h.command} (PID ${h.pid}) ${h.how === 'lock' ? 'locks' : 'has open'} ${h.path}`)
    .join('; ');
}

/** The inode of the initial PID namespace (PROC_PID_INIT_INO in the kernel). */
const INITIAL_PID_NAMESPACE = 'pid:[4026531836]';

/**
 * Whether this process lives in a PID namespace of its own (a container): then the processes
 * of the host and of other containers are invisible in /proc, and "nobody has the file open"
 * cannot be known.
 */
export async function inOwnPidNamespace(): Promise<boolean> {
  const namespace = await readlink('/proc/self/ns/pid').catch(() => INITIAL_PID_NAMESPACE);
  return namespace !== INITIAL_PID_NAMESPACE;
}

/**
 * Refuses to replace files a process has open, and refuses to judge when it cannot see the
 * processes that might (a container), unless the user says the application is stopped.
 */
export async function refuseIfInUse(
  paths: string[],
  appStopped: boolean,
  subject?: string,
): Promise<Result<InUseReport>> {
  const report = await findFileHolders(paths);
  if (report.holders.length > 0)
    return fail(
      'database-in-use',
      `the database is in use: ${describeHolders(report)}; nothing was changed`,
      {
        ...(subject ? { subject } : {}),
        hint: 'stop the application (and anything else that opens the database), then restore again',
      },
    );
  if (!appStopped && (await inOwnPidNamespace()))
    return fail(
      'processes-not-visible',
      'the runner runs in its own PID namespace (a container): it cannot see whether the application on the host or in another container has the database open, so nothing was changed',
      {
        ...(subject ? { subject } : {}),
        hint: 'stop the application, then restore again with --app-stopped',
      },
    );
  return ok(report);
}
