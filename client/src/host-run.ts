import * as vscode from 'vscode';
import type { RunEvent, RunnerRecord } from 'backup-runner/protocol';
import type { Outcome } from './errors';
import type { Host } from './hosts';
import type { HostSessions } from './host-sessions';
import type { HostOutput } from './output';
import { isRunEvent } from './records';
import { RunProgress } from './run-progress';
import type { CommandOutcome } from './session';

export interface RunOnHost {
  host: Host;
  /** The notification's title, e.g. "Run now on torrust-prod". */
  title: string;
  argv: string[];
  input?: string;
  /** Turns other records (verify, check) into the notification's message. */
  describe?: (record: RunnerRecord) => string | undefined;
}

export interface HostRunEvent {
  host: Host;
  event: RunEvent;
}

/**
 * Runs a long runner command on a host behind a cancellable progress notification: the current
 * step's title and percent from the run's events, its readable log in the host's output channel.
 * Cancel (the notification's button, or `backupYaml.cancel`) sends a cancel over the session.
 */
export class HostRunner implements vscode.Disposable {
  /** The runs of each host started from this window (a second one gets the runner's lock answer). */
  private readonly running = new Map<string, Set<AbortController>>();
  private readonly events = new vscode.EventEmitter<HostRunEvent>();
  readonly onRunEvent = this.events.event;

  constructor(
    private readonly sessions: HostSessions,
    private readonly output: HostOutput,
  ) {}

  /** Cancels what runs on the host; false when nothing did. */
  cancel(host: Host): boolean {
    const controllers = [...(this.running.get(host.id) ?? [])];
    for (const controller of controllers) controller.abort();
    return controllers.length > 0;
  }

  isRunning(host: Host): boolean {
    return (this.running.get(host.id)?.size ?? 0) > 0;
  }

  run(request: RunOnHost): Thenable<Outcome<CommandOutcome>> {
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: request.title, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        // A second run of the same host while one runs here is the runner's to refuse (its lock
        // names the holder), so it is sent, not queued.
        const runs = this.running.get(request.host.id) ?? new Set<AbortController>();
        runs.add(controller);
        this.running.set(request.host.id, runs);
        const log = this.output.logger(request.host, request.title);
        const tracker = new RunProgress();
        let shown = 0;
        const onRecord = (record: RunnerRecord) => {
          log.record(record);
          if (isRunEvent(record)) {
            this.events.fire({ host: request.host, event: record });
            if (!tracker.apply(record)) return;
            const percent = tracker.percent;
            progress.report({ message: tracker.message, increment: percent - shown });
            shown = percent;
          } else {
            const message = request.describe?.(record);
            if (message) progress.report({ message });
          }
        };
        try {
          return await this.sessions.request(request.host, request.argv, {
            onRecord,
            onText: (line) => log.text(line),
            signal: controller.signal,
            ...(request.input !== undefined ? { input: request.input } : {}),
          });
        } finally {
          runs.delete(controller);
        }
      },
    );
  }

  dispose(): void {
    for (const runs of this.running.values()) for (const controller of runs) controller.abort();
    this.events.dispose();
  }
}
