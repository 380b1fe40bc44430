import { setTimeout as sleep } from 'node:timers/promises';
import type { Result } from '../../result';
import { ok } from '../../result';
import type { ErrorContext } from './errors';
import { busyFailure, cancelledFailure, isBusyError, sqliteFailure } from './errors';

export interface BusyWait {
  /** performance.now() after which a still-busy database is an error. */
  deadline: number;
  signal: AbortSignal;
  context: ErrorContext;
}

/** Pause between attempts: short, so we get the lock soon after a writer lets go of it. */
const RETRY_PAUSE_MS = 2;

/**
 * Runs a SQLite call until it is not SQLITE_BUSY, the deadline passes (`sqlite-busy`) or the
 * signal fires (`cancelled`). Each attempt waits at most NATIVE_BUSY_TIMEOUT_MS inside SQLite,
 * and the event loop runs between attempts, so progress events and signals are handled while a
 * writer holds the database. Other SQLite errors become values too.
 */
export async function retryWhileBusy<T>(
  attempt: () => T,
  wait: BusyWait,
  doing: string,
): Promise<Result<T>> {
  const started = performance.now();
  for (;;) {
    if (wait.signal.aborted) return cancelledFailure(wait.context);
    try {
      return ok(attempt());
    } catch (error) {
      if (!isBusyError(error)) return sqliteFailure(wait.context, error, doing);
      if (performance.now() >= wait.deadline)
        return busyFailure(wait.context, performance.now() - started);
    }
    await sleep(RETRY_PAUSE_MS);
  }
}
