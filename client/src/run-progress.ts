import type { PlanStep, RunEvent } from 'backup-runner/protocol';

/**
 * Follows a run's events for a progress notification: the current step's title and the share
 * done, from the steps `run-started` lists and the bytes of `step-progress`.
 */
export class RunProgress {
  private steps: PlanStep[] = [];
  private readonly finished = new Set<string>();
  private current: { id: string; title: string; fraction: number } | undefined;

  /** Applies an event; returns true when what the notification shows changed. */
  apply(event: RunEvent): boolean {
    switch (event.type) {
      case 'run-started':
        this.steps = event.steps.filter((step) => !step.skip);
        return true;
      case 'step-started':
        this.current = { id: event.step, title: event.title, fraction: 0 };
        return true;
      case 'step-progress':
        if (!this.current || this.current.id !== event.step || !event.bytesTotal) return false;
        this.current.fraction = Math.min(1, event.bytesDone / event.bytesTotal);
        return true;
      case 'step-finished':
        this.finished.add(event.step);
        if (this.current?.id === event.step) this.current.fraction = 1;
        return true;
      default:
        return false;
    }
  }

  /** 0–100 over the whole run. */
  get percent(): number {
    if (this.steps.length === 0) return 0;
    const running = this.current && !this.finished.has(this.current.id) ? this.current.fraction : 0;
    return Math.min(100, ((this.finished.size + running) / this.steps.length) * 100);
  }

  get message(): string {
    if (!this.current) return 'starting…';
    const pct =
      this.current.fraction > 0 && this.current.fraction < 1
        ? ` ${Math.round(this.current.fraction * 100)} %`
        : '';
    return `${this.current.title}${pct}`;
  }
}
