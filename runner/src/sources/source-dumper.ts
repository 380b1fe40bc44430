import type { Result } from '../result';
import type { Source } from '../spec/types';

/**
 * What the engine gives a source when it dumps it into the staging run. One module per source
 * type implements `SourceDumper` (sqlite/, mysql/, files/); the engine never looks inside.
 */
export interface SourceDumpInput<S extends Source = Source> {
  /** The source's name in the spec (`sources.<name>`). */
  name: string;
  source: S;
  /**
   * The directory to write into: `<staging.dir>/<run-id>.partial/<name>/`, existing, empty, mode
   * 0700. File names inside must be stable from run to run (restic compares by path).
   */
  outDir: string;
  /** Aborted on SIGINT/SIGTERM or a failure elsewhere: stop children, return `cancelled`. */
  signal: AbortSignal;
  /** Progress for the event stream (throttling is the engine's job). */
  progress: (update: SourceProgress) => void;
  /** A non-fatal problem worth an event and a line in the log. */
  warn: (message: string) => void;
  /**
   * The source's password, when the engine read it in the preflight (before hooks.before may
   * stop what serves it). Absent: the source reads it itself.
   */
  password?: { value: string | undefined };
  /**
   * The engine overlaps the source's own check of its copy (SQLite's integrity_check) with the
   * backup: the dumper then returns as soon as the copy is written, with the check to start
   * (`deferredCheck`), instead of checking first.
   */
  checkAlongside?: boolean;
}

export interface SourceProgress {
  bytesDone: number;
  bytesTotal?: number;
  detail?: string;
}

export interface SourceDumpOutput {
  /**
   * Facts recorded in manifest.json for this source: journal mode, integrity result, dump
   * trailer, tool versions, timings. JSON-serializable, and never a secret.
   */
  metadata: Record<string, unknown>;
  /**
   * Set when the source turned out empty (a 0-byte database, a glob that matched nothing, a
   * database without tables): what it is, for the error. The engine fails the run on it unless
   * the source allows it (allow_empty): that is how a lost volume or a truncated file looks.
   */
  empty?: string;
  /**
   * With `checkAlongside`: the check of the copy, to start once the run is promoted; the run
   * waits for it before retention.
   */
  deferredCheck?: DeferredCheck;
}

/** A check of a staged copy the engine starts later, where the copy then is. */
export interface DeferredCheck {
  /** Starts it on the source's directory as it is now (`current/<source>/`). */
  start(sourceDir: string): PendingCheck;
}

/** A started check of a staged copy, running while the engine goes on (archive, backup). */
export interface PendingCheck {
  /** Its facts once it passed (recorded in the step's result), or why the copy is bad. */
  result: Promise<Result<Record<string, unknown>>>;
  /** Stops it (the child is killed) when the run no longer needs its answer. */
  stop(): void;
}

export type SourceDumper<S extends Source = Source> = (
  input: SourceDumpInput<S>,
) => Promise<Result<SourceDumpOutput>>;
