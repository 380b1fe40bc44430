import type { RunSink } from '../engine/reporter';
import type { RunEvent } from '../protocol';
import { encodeRecord } from '../protocol';
import type { RunReason } from './daemon-status';

/** What the daemon itself says, besides the events of its runs. One JSON line each with --json. */
export type DaemonRecord = { type: 'daemon'; at: string } & (
  | { event: 'started'; pid: number; spec: string; schedule: string; nextRunAt?: string }
  | { event: 'run-starting'; reason: RunReason; scheduledFor?: string }
  | { event: 'run-skipped'; scheduledFor: string; reason: 'run-in-progress' }
  | { event: 'run-done'; runId: string; status: string; exitCode: number; nextRunAt?: string }
  | { event: 'stopping'; signal: string; runInProgress: boolean; graceMs: number }
  | { event: 'stopped' }
  | { event: 'warning'; message: string }
);

/** Everything the daemon writes goes to one line writer: stdout, for `docker logs` and shippers. */
export interface DaemonLog {
  daemon(record: DaemonRecord): void;
  runSink: RunSink;
}

type DaemonRecordBody = DaemonRecord extends infer R
  ? R extends DaemonRecord
    ? Omit<R, 'type' | 'at'>
    : never
  : never;

/** Adds `type` and `at` to a record body. */
export function daemonRecord(body: DaemonRecordBody, now = new Date()): DaemonRecord {
  return { type: 'daemon', at: now.toISOString(), ...body } as DaemonRecord;
}

/** JSON lines: the daemon's records and the runs' protocol events, as they come. */
export function jsonDaemonLog(write: (line: string) => void): DaemonLog {
  return {
    daemon: (record) => write(JSON.stringify(record)),
    runSink: (event: RunEvent) => write(encodeRecord(event)),
  };
}

/**
 * Readable lines with a timestamp each (a container's log has no other clock); runs are
 * rendered by `render`, the same log `backup-runner run` prints.
 */
export function humanDaemonLog(
  write: (line: string) => void,
  render: (io: { out(line: string): void; err(line: string): void }) => RunSink,
): DaemonLog {
  const stamped = (line: string) => write(`${new Date().toISOString()} ${line}`);
  return {
    daemon: (record) => stamped(describe(record)),
    runSink: render({ out: stamped, err: stamped }),
  };
}

function describe(record: DaemonRecord): string {
  switch (record.event) {
    case 'started':
      return `daemon started (PID ${record.pid}) for ${record.spec} on "${record.schedule}"${next(record.nextRunAt)}`;
    case 'run-starting':
      return record.reason === 'catch-up'
        ? `running the backup missed at ${record.scheduledFor ?? 'an earlier time'}`
        : 'running the scheduled backup';
    case 'run-skipped':
      return `skipped the run due at ${record.scheduledFor}: the previous run is still going`;
    case 'run-done':
      return `run ${record.runId} ${record.status} (exit ${record.exitCode})${next(record.nextRunAt)}`;
    case 'stopping':
      return record.runInProgress
        ? `received ${record.signal}: ${record.graceMs > 0 ? `letting the run finish for up to ${record.graceMs / 1000} s, then ` : ''}cancelling it (partial run removed, lock released)`
        : `received ${record.signal}: stopping`;
    case 'stopped':
      return 'daemon stopped';
    case 'warning':
      return `warning: ${record.message}`;
  }
}

function next(at: string | undefined): string {
  return at ? `; next run at ${at}` : '';
}
