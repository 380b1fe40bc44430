import { Cron } from 'croner';
import type { RunSink } from '../engine/reporter';
import type { RunStatus } from '../protocol';
import type { DaemonLog } from './daemon-log';
import { daemonRecord } from './daemon-log';
import type { DaemonRunRecord, DaemonStatus, RunReason } from './daemon-status';
import { RECENT_RUNS, writeDaemonStatus } from './daemon-status';
import { missedRun } from '../schedule/daemon-schedule';

/** What one backup run gives back to the daemon (a subset of the engine's RunOutcome). */
export interface RunResult {
  runId: string;
  status: RunStatus;
  exitCode: number;
  error?: { code: string };
}

export interface DaemonOptions {
  name: string;
  spec: string;
  /** A cron pattern, already checked (checkSchedule). */
  pattern: string;
  /** Run at start when a scheduled time passed since the last recorded run (or none was recorded). */
  catchUp: boolean;
  lastRunStartedAt?: Date;
  /** How long a run may go on after SIGTERM before it is cancelled. */
  graceMs: number;
  statusFile: string;
  log: DaemonLog;
  /** One backup run; it must stop cleanly when `signal` aborts. */
  run(signal: AbortSignal, sink: RunSink): Promise<RunResult>;
}

interface CurrentRun {
  controller: AbortController;
  reason: RunReason;
  startedAt: Date;
  runId?: string;
}

/**
 * Runs backups on a cron schedule inside a container, where there is no cron or systemd. One run
 * at a time: a time that comes while a run is going is skipped (and counted), never queued.
 * stop() ends scheduling, lets the current run finish for the grace period, then cancels it; a
 * second stop() cancels at once. start() resolves once nothing runs any more.
 */
export class BackupDaemon {
  private cron: Cron | undefined;
  private current: CurrentRun | undefined;
  private stopping = false;
  private runs = 0;
  private skipped = 0;
  private readonly recent: DaemonRunRecord[] = [];
  private readonly startedAt = new Date();
  private statusWrites: Promise<void> = Promise.resolve();
  private resolveStopped: () => void = () => undefined;
  private readonly stopped = new Promise<void>((resolve) => (this.resolveStopped = resolve));

  constructor(private readonly options: DaemonOptions) {}

  async start(): Promise<void> {
    const { options } = this;
    this.cron = new Cron(options.pattern.trim(), { mode: '5-or-6-parts', domAndDow: false }, () =>
      this.onScheduled(),
    );
    options.log.daemon(
      daemonRecord({
        event: 'started',
        pid: process.pid,
        spec: options.spec,
        schedule: options.pattern,
        ...this.nextRunField(),
      }),
    );
    this.publish();
    const missed = options.catchUp
      ? missedRun(options.pattern, options.lastRunStartedAt, new Date())
      : undefined;
    if (missed) void this.runOnce('catch-up', missed);
    await this.stopped;
    await this.statusWrites;
  }

  /** SIGTERM/SIGINT: the first stops scheduling (the run gets the grace period), the next cancels. */
  stop(signalName: string): void {
    const running = this.current;
    if (this.stopping) {
      running?.controller.abort();
      return;
    }
    this.stopping = true;
    this.cron?.stop();
    this.options.log.daemon(
      daemonRecord({
        event: 'stopping',
        signal: signalName,
        runInProgress: running !== undefined,
        graceMs: this.options.graceMs,
      }),
    );
    if (!running) return this.finish();
    this.publish();
    if (this.options.graceMs <= 0) running.controller.abort();
    else setTimeout(() => running.controller.abort(), this.options.graceMs).unref();
  }

  private onScheduled(): void {
    if (this.stopping) return;
    if (this.current) {
      this.skipped++;
      this.options.log.daemon(
        daemonRecord({
          event: 'run-skipped',
          scheduledFor: (this.cron?.currentRun() ?? new Date()).toISOString(),
          reason: 'run-in-progress',
        }),
      );
      this.publish();
      return;
    }
    void this.runOnce('schedule');
  }

  private async runOnce(reason: RunReason, scheduledFor?: Date): Promise<void> {
    if (this.current || this.stopping) return;
    const current: CurrentRun = {
      controller: new AbortController(),
      reason,
      startedAt: new Date(),
    };
    this.current = current;
    this.runs++;
    this.options.log.daemon(
      daemonRecord({
        event: 'run-starting',
        reason,
        ...(scheduledFor ? { scheduledFor: scheduledFor.toISOString() } : {}),
      }),
    );
    this.publish();
    const sink: RunSink = (event) => {
      if (event.type === 'run-started') {
        current.runId = event.runId;
        this.publish();
      }
      this.options.log.runSink(event);
    };
    let result: RunResult;
    try {
      result = await this.options.run(current.controller.signal, sink);
    } catch (error) {
      // A bug in the engine must not end the schedule: report it as a failed run.
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      this.options.log.daemon(daemonRecord({ event: 'warning', message }));
      result = { runId: current.runId ?? 'unknown', status: 'failed', exitCode: 70 };
    }
    this.current = undefined;
    this.remember(current, result);
    this.options.log.daemon(
      daemonRecord({
        event: 'run-done',
        runId: result.runId,
        status: result.status,
        exitCode: result.exitCode,
        ...(this.stopping ? {} : this.nextRunField()),
      }),
    );
    if (this.stopping) this.finish();
    else this.publish();
  }

  private remember(current: CurrentRun, result: RunResult): void {
    this.recent.unshift({
      runId: result.runId,
      reason: current.reason,
      status: result.status,
      exitCode: result.exitCode,
      startedAt: current.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      ...(result.error ? { errorCode: result.error.code } : {}),
    });
    this.recent.splice(RECENT_RUNS);
  }

  private finish(): void {
    this.publish('stopped');
    this.options.log.daemon(daemonRecord({ event: 'stopped' }));
    this.resolveStopped();
  }

  private nextRunField(): { nextRunAt?: string } {
    const next = this.cron?.nextRun();
    return next ? { nextRunAt: next.toISOString() } : {};
  }

  /** Queues a rewrite of the status file; writes happen one after another, in order. */
  private publish(final?: 'stopped'): void {
    const status = this.snapshot(final);
    this.statusWrites = this.statusWrites.then(async () => {
      const problem = await writeDaemonStatus(this.options.statusFile, status);
      if (problem) this.options.log.daemon(daemonRecord({ event: 'warning', message: problem }));
    });
  }

  private snapshot(final?: 'stopped'): DaemonStatus {
    const { current } = this;
    const state = final ?? (this.stopping ? 'stopping' : current ? 'running' : 'idle');
    return {
      type: 'daemon-status',
      pid: process.pid,
      spec: this.options.spec,
      name: this.options.name,
      schedule: this.options.pattern,
      startedAt: this.startedAt.toISOString(),
      state,
      ...(state === 'idle' || state === 'running' ? this.nextRunField() : {}),
      ...(current
        ? {
            currentRun: {
              ...(current.runId ? { runId: current.runId } : {}),
              reason: current.reason,
              startedAt: current.startedAt.toISOString(),
            },
          }
        : {}),
      runs: this.runs,
      skipped: this.skipped,
      recentRuns: [...this.recent],
    };
  }
}
