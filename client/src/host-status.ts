import * as vscode from 'vscode';
import type { StatusRecord } from 'backup-runner/protocol';
import type { ClientError } from './errors';
import type { Host } from './hosts';
import type { HostSessions } from './host-sessions';

/** What the status bar and the hosts view show of a host. */
/** `unhealthy`: the runner's own verdict (a damaged target, a shrunken source: status --json). */
export type Health = 'ok' | 'stale' | 'failed' | 'unhealthy' | 'never' | 'error' | 'unknown';

export interface HostStatus {
  health: Health;
  record?: StatusRecord;
  /** Why the status could not be read (unreachable, no runner...). */
  error?: ClientError;
  checkedAt?: Date;
}

/** Worst first: the status bar without an active spec shows the worst host. */
const SEVERITY: Health[] = ['error', 'failed', 'unhealthy', 'stale', 'never', 'unknown', 'ok'];

export function worst(statuses: HostStatus[]): Health {
  return SEVERITY.find((health) => statuses.some((s) => s.health === health)) ?? 'unknown';
}

export function healthOf(record: StatusRecord): Health {
  if (record.lastRun?.status === 'failed') return 'failed';
  return record.health;
}

/**
 * The last `status --json` of each host, refreshed on demand and by a bounded poll: every
 * `status.intervalSeconds` while the window has focus, never while it has not, over each host's
 * reused session (a poll opens at most one connection per host, and none while one is open).
 */
export class HostStatusStore implements vscode.Disposable {
  private readonly statuses = new Map<string, HostStatus>();
  private readonly changed = new vscode.EventEmitter<Host | undefined>();
  readonly onDidChange = this.changed.event;
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Map<string, Promise<HostStatus>>();

  constructor(
    private readonly sessions: HostSessions,
    private readonly hosts: () => Host[],
  ) {}

  get(host: Host): HostStatus {
    return this.statuses.get(host.id) ?? { health: 'unknown' };
  }

  /** Reads the host's status now (one request at a time per host). */
  refresh(host: Host): Promise<HostStatus> {
    const running = this.inFlight.get(host.id);
    if (running) return running;
    const reading = this.read(host).finally(() => this.inFlight.delete(host.id));
    this.inFlight.set(host.id, reading);
    return reading;
  }

  async refreshAll(): Promise<void> {
    await Promise.all(this.hosts().map((host) => this.refresh(host)));
  }

  /** (Re)starts polling; 0 seconds turns it off. */
  startPolling(intervalSeconds: number): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (intervalSeconds <= 0) return;
    this.timer = setInterval(() => {
      if (vscode.window.state.focused) void this.refreshAll();
    }, intervalSeconds * 1000);
  }

  dispose(): void {
    clearInterval(this.timer);
    this.changed.dispose();
  }

  private async read(host: Host): Promise<HostStatus> {
    const outcome = await this.sessions.request(host, ['status', '-c', host.spec, '--json']);
    let status: HostStatus;
    if (!outcome.ok) status = { health: 'error', error: outcome.error, checkedAt: new Date() };
    else {
      const record = outcome.value.records.find((r): r is StatusRecord => r.type === 'status');
      const error = outcome.value.records.find((r) => r.type === 'error');
      status = record
        ? { health: healthOf(record), record, checkedAt: new Date() }
        : {
            health: 'error',
            checkedAt: new Date(),
            error:
              error?.type === 'error'
                ? { ...error.error, host: host.label }
                : {
                    code: 'runner-failed',
                    host: host.label,
                    message: `status on ${host.label} ended with exit ${outcome.value.exitCode}: ${outcome.value.stderr.at(-1) ?? ''}`,
                  },
          };
    }
    this.statuses.set(host.id, status);
    this.changed.fire(host);
    return status;
  }
}
