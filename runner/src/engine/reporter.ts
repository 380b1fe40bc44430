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
 * It holds the run's plan and walks it: a step is started by its id, its title comes from the
 * plan, and every planned step the run passes over is announced as skipped with the reason. So
 * a run starts exactly the steps `run-started` announced, in that order; starting a step that
 * is not next in the plan is a bug and throws. Progress is throttled here so sources can report
 * as often as they like.
 */
export class RunReporter {
  private warnings = 0;
  private readonly sinks: RunSink[];
  /** Index in the plan of the first step not announced yet. */
  private next = 0;
  /** The run's first failure: why the steps after it are not taken. */
  private failure: { step: string | undefined; error: RunnerError } | undefined;

  constructor(
    readonly runId: string,
    readonly plan: readonly PlanStep[],
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

  /** The planned step of this id; a step the plan lacks is a bug. */
  planned(id: string): PlanStep {
    const step = this.plan.find((s) => s.id === id);
    if (!step) throw new Error(`bug: step "${id}" is not in the run's plan`);
    return step;
  }

  /**
   * Records a failure outside any step (restic missing, the staging directory unusable), so the
   * steps passed over say why they did not run.
   */
  noteFailure(error: RunnerError, step?: string): void {
    this.failure ??= { step, error };
  }

  /** Runs a step between step-started and step-finished; its Result decides the status. */
  async step<T>(
    id: string,
    body: (context: StepContext) => Promise<Result<T>>,
    describe?: (value: T) => Record<string, unknown>,
  ): Promise<Result<T>> {
    const step = this.advanceTo(id);
    const started = Date.now();
    this.started(step, started);
    let lastProgress = 0;
    const context: StepContext = {
      progress: (bytesDone, bytesTotal, detail) => {
        const now = Date.now();
        if (now - lastProgress < PROGRESS_INTERVAL_MS && bytesTotal !== bytesDone) return;
        lastProgress = now;
        this.emit({
          type: 'step-progress',
          runId: this.runId,
          step: id,
          bytesDone,
          ...(bytesTotal === undefined ? {} : { bytesTotal }),
          ...(detail ? { detail } : {}),
        });
      },
      log: (message) => this.log('info', message, id),
      warn: (message) => this.log('warn', message, id),
    };
    const result = await body(context);
    const durationMs = Date.now() - started;
    if (result.ok) {
      this.finish(id, 'ok', durationMs, undefined, describe?.(result.value));
    } else {
      this.noteFailure(result.error, id);
      const status = result.error.code === 'cancelled' ? 'cancelled' : 'failed';
      this.finish(id, status, durationMs, result.error);
    }
    return result;
  }

  /** Announces a planned step as skipped (started and finished at once), with the reason. */
  skip(id: string, reason: string): void {
    this.announceSkipped(this.advanceTo(id), reason);
  }

  /** At the end of a run: every step not taken is announced as skipped. */
  skipRemaining(): void {
    while (this.next < this.plan.length) {
      const step = this.plan[this.next++] as PlanStep;
      this.announceSkipped(step, this.reasonNotTaken(step));
    }
  }

  private advanceTo(id: string): PlanStep {
    let index = this.next;
    while (index < this.plan.length && this.plan[index]?.id !== id) index++;
    const step = this.plan[index];
    if (!step) throw new Error(`bug: step "${id}" is not next in the run's plan (or ran twice)`);
    while (this.next < index) {
      const passed = this.plan[this.next++] as PlanStep;
      this.announceSkipped(passed, this.reasonNotTaken(passed));
    }
    this.next = index + 1;
    return step;
  }

  private reasonNotTaken(step: PlanStep): string {
    if (this.failure?.error.code === 'cancelled') return 'not run: the run was cancelled';
    if (this.failure)
      return `not run: ${this.failure.step ?? 'the run'} failed (${this.failure.error.code})`;
    return step.skip ?? 'not needed in this run';
  }

  private started(step: PlanStep, at: number): void {
    this.emit({
      type: 'step-started',
      runId: this.runId,
      step: step.id,
      title: step.title,
      at: new Date(at).toISOString(),
    });
  }

  private announceSkipped(step: PlanStep, reason: string): void {
    this.started(step, Date.now());
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
