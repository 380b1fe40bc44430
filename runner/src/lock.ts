import { readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { processStartTime, stillRunning } from './process/process-identity';
import type { Result } from './result';
import { errorMessage, fail, ok } from './result';

export interface LockOwner {
  pid: number;
  host: string;
  runId: string;
  startedAt: string;
  /** /proc/<pid>/stat start time: tells a live owner from a new process that reused its PID. */
  processStart?: string;
  /** Children the run started (restic, dump tools), to stop if the run dies without them. */
  children?: { pid: number; processStart?: string }[];
}

export interface HeldLock {
  path: string;
  /** Set when the lock was taken over from a run that died, with its children that were stopped. */
  tookOver?: { owner: LockOwner; stoppedChildren: number[] };
  /** Records a child process so a later run can stop it if this one is killed. */
  recordChild(pid: number): Promise<void>;
  release(): Promise<void>;
}

/**
 * One run per spec at a time: a lock file created with O_EXCL holding the owner's PID and host.
 * A lock whose owner is gone (same host, PID dead or reused) is stale and is taken over; a lock
 * held by a live run, or by another host, is refused with who holds it.
 */
export async function acquireLock(path: string, runId: string): Promise<Result<HeldLock>> {
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    runId,
    startedAt: new Date().toISOString(),
  };
  const start = await processStartTime(process.pid);
  if (start) owner.processStart = start;
  let tookOver: HeldLock['tookOver'];
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, `${JSON.stringify(owner)}\n`, { flag: 'wx', mode: 0o600 });
      // Children are recorded while the run goes on, without the run waiting: the records are
      // written one after the other, release waits for them, and none is written after it (a
      // late one would bring back the lock file of a run that is over).
      let released = false;
      let records: Promise<void> = Promise.resolve();
      return ok({
        path,
        ...(tookOver ? { tookOver } : {}),
        recordChild: (pid) => {
          // A record that cannot be written only costs the orphan clean-up of a run that dies.
          records = records
            .then(() => (released ? undefined : recordChild(path, owner, pid)))
            .catch(() => undefined);
          return records;
        },
        release: async () => {
          released = true;
          await records;
          await releaseLock(path, owner);
        },
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        return fail('lock-io', `cannot create the lock file ${path}: ${errorMessage(error)}`);
      }
    }
    const holder = await readOwner(path);
    if (holder && (await isAlive(holder))) {
      return fail(
        'locked',
        `another run (${holder.runId}, PID ${holder.pid} on ${holder.host}, started ${holder.startedAt}) holds ${path}`,
        {
          hint:
            holder.host === owner.host
              ? 'wait for it to finish'
              : `if ${holder.host} is gone for good, delete ${path}`,
        },
      );
    }
    // Stale: its owner died (kill -9, power loss). Its children may live on (a restic holding the
    // repository lock would block this run's prune): stop them, remove the lock, try once more.
    if (holder) tookOver = { owner: holder, stoppedChildren: await stopOrphans(holder) };
    await rm(path, { force: true });
  }
  return fail(
    'locked',
    `the lock file ${path} keeps reappearing; another run is starting at the same time`,
  );
}

async function recordChild(path: string, owner: LockOwner, pid: number): Promise<void> {
  const start = await processStartTime(pid);
  // Children that ended need no stopping: the list stays as long as what may still run.
  const living = [];
  for (const child of owner.children ?? [])
    if (await stillRunning(child.pid, child.processStart)) living.push(child);
  owner.children = [...living, { pid, ...(start ? { processStart: start } : {}) }];
  await writeFile(path, `${JSON.stringify(owner)}\n`, { mode: 0o600 });
}

async function stopOrphans(holder: LockOwner): Promise<number[]> {
  const alive = [];
  for (const child of holder.children ?? []) {
    if (child.processStart && (await processStartTime(child.pid)) === child.processStart)
      alive.push(child.pid);
  }
  // Each child leads its own process group (process/start-child.ts): stop all of it, so a
  // restic goes with its ssh. SIGINT first: restic then removes its repository lock.
  for (const pid of alive) signal(-pid, 'SIGINT');
  for (let waited = 0; waited < 100 && alive.some((pid) => signal(pid, 0)); waited++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const pid of alive) signal(-pid, 'SIGKILL');
  return alive;
}

function signal(pid: number, name: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}

async function releaseLock(path: string, owner: LockOwner): Promise<void> {
  const holder = await readOwner(path);
  // Never remove a lock another run has taken over.
  if (holder && holder.pid === owner.pid && holder.runId === owner.runId)
    await rm(path, { force: true });
}

export async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string') return undefined;
    return {
      pid: value.pid,
      host: value.host,
      runId: String(value.runId ?? '?'),
      startedAt: String(value.startedAt ?? '?'),
      ...(value.processStart ? { processStart: value.processStart } : {}),
      ...(Array.isArray(value.children) ? { children: value.children } : {}),
    };
  } catch {
    return undefined;
  }
}

async function isAlive(owner: LockOwner): Promise<boolean> {
  if (owner.host !== hostname()) return true;
  return stillRunning(owner.pid, owner.processStart);
}
