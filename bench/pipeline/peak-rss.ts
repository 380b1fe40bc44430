import { readFile, readdir } from 'node:fs/promises';

/** The most memory each kind of process of a tree held, in bytes. */
export interface PeakRss {
  /** The process started (the runner). */
  root: number;
  /** The largest restic of the tree. */
  restic: number;
  /** The largest other node child (the runner's SQLite child: integrity_check). */
  sqliteChild: number;
}

/**
 * Follows a process tree while it runs and records each process's peak resident size (VmHWM in
 * /proc/<pid>/status: the kernel's high-water mark, so a poll every 50 ms misses only what a
 * process grows in its last 50 ms). RSS counts mapped file pages too: the SQLite child maps the
 * copy it checks, so its figure grows with the database by design (the pages are the page
 * cache's, not the child's heap); the runner and restic must not.
 */
export function watchPeakRss(rootPid: number): { stop(): Promise<PeakRss> } {
  const peak: PeakRss = { root: 0, restic: 0, sqliteChild: 0 };
  let polling: Promise<void> = Promise.resolve();
  const poll = async () => {
    for (const pid of await descendants(rootPid)) {
      const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
      const name = /^Name:\s*(\S+)/m.exec(status)?.[1];
      const hwm = Number(/^VmHWM:\s*(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
      if (pid === rootPid) peak.root = Math.max(peak.root, hwm);
      else if (name === 'restic') peak.restic = Math.max(peak.restic, hwm);
      else if (name === 'node') peak.sqliteChild = Math.max(peak.sqliteChild, hwm);
    }
  };
  const timer = setInterval(() => {
    polling = polling.then(poll);
  }, 50);
  return {
    async stop() {
      clearInterval(timer);
      await polling;
      return peak;
    },
  };
}

async function descendants(pid: number): Promise<number[]> {
  const found = [pid];
  for (let i = 0; i < found.length; i++) {
    const parent = found[i] as number;
    const tasks = await readdir(`/proc/${parent}/task`).catch(() => [] as string[]);
    for (const task of tasks) {
      const children = await readFile(`/proc/${parent}/task/${task}/children`, 'utf8').catch(
        () => '',
      );
      for (const child of children.split(' ').filter(Boolean)) found.push(Number(child));
    }
  }
  return found;
}
