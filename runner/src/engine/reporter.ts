import type { PlanStep, RunEvent, StepStatus } from '../protocol';
import type { Result, RunnerError } from '../result';

export type RunSink = (event: RunEvent) => void;

export interface StepContext {
  progress(bytesDone: number, bytesTotal?: number, detail?: string): void;
  log(message: string): void;
  warn(message: string): void;
}

const PROGRESS_INTERVAL_MS = 250;

/**
 * Emits the typed events of one run to every sink (JSON lines, the human log) and times steps.
 * Progress is throttled here so sources can report as often as they like.
 */
export class RunReporter {
  private warnings = 0;

  private readonly sinks: RunSink[];

  constructor(
    readonly runId: string,
    sinks: RunSink[],
  ) {
    this.sinks = [...sinks];
  }

  addSink(sink: RunSink): void {
    this.sinks.push(sink);
  }

  get warningCount(): number {
    return this.warnings;
  }

  emit(event: RunEvent): void {
    for (const sink of this.sinks) sink(event);
  }

  log(level: 'info' | 'warn' | 'error', message: string, step?: string): void {
    if (level === 'warn') this.warnings++;
    this.emit({ type: 'log', runId: this.runId, level, message, ...(step ? { step } : {}) });
  }

  /** Runs a step between step-started and step-finished; its Result decides the status. */
  async step<T>(
    step: Pick<PlanStep, 'id' | 'title'>,
    body: (context: StepContext) => Promise<Result<T>>,
    describe?: (value: T) => Record<string, unknown>,
  ): Promise<Result<T>> {
    const started = Date.now();
    this.emit({
      type: 'step-started',
      runId: this.runId,
      step: step.id,
      title: step.title,
      at: new Date(started).toISOString(),
    });
    let lastProgress = 0;
    const context: StepContext = {
      progress: (bytesDone, bytesTotal, detail) => {
        const now = Date.now();
        if (now - lastProgress < PROGRESS_INTERVAL_MS && bytesTotal !== bytesDone) return;
        lastProgress = now;
        this.emit({
          type: 'step-progress',
          runId: this.runId,
          step: step.id,
          bytesDone,
          ...(bytesTotal === undefined ? {} : { bytesTotal }),
          ...(detail ? { detail } : {}),
        });
      },
      log: (message) => this.log('info', message, step.id),
      warn: (message) => this.log('warn', message, step.id),
    };
    const result = await body(context);
    const durationMs = Date.now() - started;
    if (result.ok) {
      const detail = describe?.(result.value);
      this.finish(step.id, 'ok', durationMs, undefined, detail);
    } else {
      this.finish(
        step.id,
        result.error.code === 'cancelled' ? 'cancelled' : 'failed',
        durationMs,
        result.error,
      );
    }
    return result;
  }

  skip(step: Pick<PlanStep, 'id' | 'title'>, reason: string): void {
    this.emit({
      type: 'step-started',
      runId: this.runId,
      step: step.id,
      title: step.title,
      at: new Date().toISOString(),
    });
    this.finish(step.id, 'skipped', 0, undefined, { reason });
  }

  private finish(
    step: string,
    status: StepStatus,
    durationMs: number,
    error?: RunnerError,
    result?: Record<string, unknown>,
  ): void {
    this.emit({
      type: 'step-finished',
      runId: this.runId,
      step,
      status,
      durationMs,
      ...(error ? { error } : {}),
      ...(result ? { result } : {}),
    });
  }
}
