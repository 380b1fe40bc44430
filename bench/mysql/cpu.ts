import { readFileSync } from 'node:fs';

/** Linux's clock ticks per second for /proc/<pid>/stat times (getconf CLK_TCK: 100 here). */
const ticksPerSecond = 100;

/**
 * CPU seconds spent so far by this process, its reaped children (mariadb-dump, restic: Linux
 * adds a child's time to cutime/cstime when it is waited for) and the MariaDB server (still
 * running, so read directly). On a machine shared with others, CPU time shifts less than wall
 * time when the cores are contended.
 */
export function cpuSeconds(serverPid: number): number {
  const own = statTimes('self');
  const server = statTimes(String(serverPid));
  const sum = (times: number[]) => times.reduce((total, n) => total + n, 0);
  return (sum(own) + sum(server.slice(0, 2))) / ticksPerSecond;
}

/** utime, stime, cutime, cstime (fields 14–17); the name field may hold spaces, so skip past ")". */
function statTimes(pid: string): number[] {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so field N is fields[N - 3].
  return [14, 15, 16, 17].map((field) => Number(fields[field - 3] ?? 0));
}
