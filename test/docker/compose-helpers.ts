import { setTimeout as delay } from 'node:timers/promises';
import type { DaemonStatus } from '../../runner/src/daemon/daemon-status';
import type { ComposeProject } from '../support/docker/compose';

/** Waits until the sidecar's daemon has finished `count` runs (its status file says so). */
export async function waitForDaemonRuns(
  project: ComposeProject,
  count: number,
  boundMs = 180_000,
): Promise<DaemonStatus> {
  const until = Date.now() + boundMs;
  let last = '';
  while (Date.now() < until) {
    const read = await project.compose([
      'exec', '-T', 'backup', 'cat', '/var/lib/backup-yaml/staging/backup-yaml.daemon.json',
    ]); // prettier-ignore
    last = read.stdout + read.stderr;
    if (read.exitCode === 0) {
      const status = JSON.parse(read.stdout) as DaemonStatus;
      if (status.recentRuns.length >= count && status.state !== 'running') return status;
    }
    await delay(250);
  }
  throw new Error(`the sidecar's daemon never finished ${count} run(s): ${last}`);
}

/**
 * The highest row id the tracker stand-in logged as committed before `time` (epoch ms): it logs
 * "committed <id> <ms>" after each commit returned, and ids grow by one.
 */
export function commitsBefore(logs: string, time: number): number {
  let highest = 0;
  for (const [, id, at] of logs.matchAll(/committed (\d+) (\d+)/g))
    if (Number(at) < time) highest = Math.max(highest, Number(id));
  return highest;
}
