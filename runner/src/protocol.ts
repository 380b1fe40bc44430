/**
 * The runner's machine-readable output: one JSON object per line on stdout with `--json`.
 * The VS Code extension reads exactly these types; nothing else is printed to stdout in JSON mode.
 * Adding fields is compatible; removing or renaming one bumps PROTOCOL_VERSION.
 */
import type { RunnerError } from './result';
import type { Diagnostic } from './spec/index';

export type { RunnerError, RunnerErrorCode } from './result';

export const PROTOCOL_VERSION = 1;

/** `backup-runner validate --json`: one record per file. */
export interface ValidationRecord {
  type: 'validation';
  file: string;
  ok: boolean;
  errors: number;
  warnings: number;
  diagnostics: Diagnostic[];
  /** Set when the file could not be read; then `diagnostics` is empty. */
  readError?: string;
}

/** One step of a run, as `plan` shows it and `run` reports it. */
export interface PlanStep {
  /** Stable within a run: `lock`, `hook:before[0]`, `dump:<source>`, `backup:<target>`, ... */
  id: string;
  title: string;
  /** The commands the step runs, secrets replaced by `<redacted: where it comes from>`. */
  commands: string[][];
  /** Skipped in this run (e.g. a check that is not due), with the reason. */
  skip?: string;
}

export type StepStatus = 'ok' | 'failed' | 'skipped' | 'cancelled';
export type RunStatus = 'ok' | 'failed' | 'cancelled';

export interface SnapshotSummary {
  target: string;
  snapshotId: string;
  /**
   * Bytes of new data restic added: after deduplication, before its compression (restic's
   * `data_added`; the packed size is only reported from restic 0.17 on).
   */
  dataAdded: number;
  filesNew: number;
  filesChanged: number;
  totalBytesProcessed: number;
}

export type RunEvent =
  | {
      type: 'run-started';
      protocol: number;
      runId: string;
      name: string;
      spec: string;
      host: string;
      dryRun: boolean;
      steps: PlanStep[];
      at: string;
    }
  | { type: 'step-started'; runId: string; step: string; title: string; at: string }
  | {
      type: 'step-progress';
      runId: string;
      step: string;
      bytesDone: number;
      bytesTotal?: number;
      detail?: string;
    }
  | {
      type: 'step-finished';
      runId: string;
      step: string;
      status: StepStatus;
      durationMs: number;
      error?: RunnerError;
      /** Step results worth showing: sizes, snapshot id, integrity result. Never a secret. */
      result?: Record<string, unknown>;
    }
  | { type: 'log'; runId: string; level: 'info' | 'warn' | 'error'; message: string; step?: string }
  | {
      type: 'run-finished';
      runId: string;
      status: RunStatus;
      exitCode: number;
      durationMs: number;
      snapshots: SnapshotSummary[];
      bytesAdded: number;
      error?: RunnerError;
      at: string;
    };

const RUN_EVENT_TYPES: ReadonlySet<string> = new Set<RunEvent['type']>([
  'run-started',
  'step-started',
  'step-progress',
  'step-finished',
  'log',
  'run-finished',
]);

/** Whether a record is one of a run's events (what `run --json` prints). */
export function isRunEvent(record: RunnerRecord): record is RunEvent {
  return RUN_EVENT_TYPES.has(record.type);
}

/** `backup-runner plan --json` prints the steps without running them. */
export interface PlanRecord {
  type: 'plan';
  runId: string;
  name: string;
  spec: string;
  steps: PlanStep[];
}

/** A command that fails before any run (unreadable or invalid spec, usage error). */
export interface ErrorRecord {
  type: 'error';
  error: RunnerError;
  diagnostics?: Diagnostic[];
}

/** `backup-runner init --json`: one per target. */
export interface InitRecord {
  type: 'init';
  target: string;
  status: 'created' | 'exists' | 'failed';
  error?: RunnerError;
}

/** `backup-runner check --json`: one per target. */
export interface CheckResultRecord {
  type: 'check';
  target: string;
  status: 'ok' | 'failed';
  readDataSubset?: string;
  durationMs: number;
  error?: RunnerError;
}

/** `backup-runner status --json`: the state file, judged against the staleness threshold. */
export interface StatusRecord {
  type: 'status';
  name: string;
  /**
   * ok: the last success is recent enough; stale: it is not; never: no run ever succeeded;
   * unhealthy: a problem stands whatever the age (`problems`: a damaged target, a source that
   * shrank in the last run).
   */
  health: 'ok' | 'stale' | 'never' | 'unhealthy';
  /** What makes the backup unhealthy, when anything does. */
  problems?: StatusProblem[];
  staleAfterMs: number;
  lastRun?: { runId: string; status: RunStatus; finishedAt: string; error?: RunnerError };
  lastSuccess?: { runId: string; finishedAt: string; ageMs: number; snapshots: SnapshotSummary[] };
  lastVerify?: { at: string; status: 'ok' | 'failed'; target: string; snapshotId: string };
  lastCheck?: Record<string, { at: string; status: 'ok' | 'failed' }>;
}

export interface StatusProblem {
  /** `target-damaged` or `source-shrunk`. */
  code: string;
  message: string;
  /** The target or source it is about. */
  subject?: string;
}

/** `backup-runner schedule --json`: the units or crontab line, and where they were installed. */
export interface ScheduleRecord {
  type: 'schedule';
  kind: 'cron' | 'systemd';
  files: { path: string; content: string }[];
  installed: boolean;
  instructions: string[];
}

/** `backup-runner snapshots --json`: one per snapshot of this spec in the target, oldest first. */
export interface SnapshotRecord {
  type: 'snapshot';
  target: string;
  id: string;
  shortId: string;
  time: string;
  host: string;
  tags: string[];
  /** The spec's sources the snapshot holds (its `source:` tags). */
  sources: string[];
  /** Staged bytes of those sources (from the snapshot's manifest), when known. */
  bytes?: number;
  sourceBytes?: Record<string, number>;
  /** The run that staged it (from its manifest). */
  runId?: string;
  /** What `latest` means for this spec's host on this target. */
  latest: boolean;
}

/** One entry of `backup-runner ls`. Paths are `<source>/<path inside the source>`. */
export interface ListingEntry {
  name: string;
  path: string;
  type: 'dir' | 'file' | 'symlink' | 'other';
  source: string;
  sourceType?: string;
  /** For a files source: where the entry lives on the host, e.g. `/opt/torrust/.env`. */
  originalPath?: string;
  size?: number;
  /** Permission bits (e.g. 0o600 = 384). */
  mode?: number;
  mtime?: string;
}

/** `backup-runner ls --json`: one directory level of a snapshot. */
export interface ListingRecord {
  type: 'listing';
  target: string;
  snapshotId: string;
  /** The listed path; "" is the snapshot's root (its sources). */
  path: string;
  entries: ListingEntry[];
  /** Served from the on-disk cache, without calling restic. */
  cached: boolean;
}

/**
 * `backup-runner cat --json`: one file of a snapshot. A `file` record first (what it is, its
 * size), then its bytes as `file-chunk` records (base64: JSON lines carry no binary), in order.
 */
export interface FileRecord {
  type: 'file';
  target: string;
  snapshotId: string;
  /** `<source>/<path inside the source>`, as `ls` names it. */
  path: string;
  source: string;
  sourceType?: string;
  /** For a files source: where the file lives on the host. */
  originalPath?: string;
  size: number;
  mode?: number;
  mtime?: string;
}

export interface FileChunkRecord {
  type: 'file-chunk';
  /** The next bytes of the file, base64. */
  data: string;
}

/** `backup-runner cat --sqlite-summary --json`: what a SQLite database of a snapshot holds. */
export interface SqliteSummaryRecord {
  type: 'sqlite-summary';
  target: string;
  snapshotId: string;
  path: string;
  size: number;
  /** The rows of PRAGMA integrity_check: ["ok"] for a sound database. */
  integrity: string[];
  tables: { name: string; rows: number }[];
  /** The database's page size and PRAGMA user_version (the application's schema version). */
  pageSize: number;
  userVersion: number;
}

/** `backup-runner restore --json`: the outcome of one restore. */
export interface RestoreRecord {
  type: 'restore';
  target: string;
  snapshotId: string;
  status: 'ok' | 'failed' | 'cancelled';
  /** The directory written (--to), or the database's own path (--in-place). */
  to: string;
  sources: string[];
  path?: string;
  files: number;
  bytes: number;
  /** Restored files whose size and sha256 matched the snapshot's manifest. */
  verifiedFiles: number;
  /** Files the restore removed: stale `-wal`/`-shm`/`-journal` next to a restored database. */
  removed: string[];
  /** --in-place: where the replaced database (and its `-wal`/`-shm`) were kept. */
  keptAside: string[];
  /**
   * The checks the restored files passed before they were put in place: `sha256` (against the
   * manifest), and for --in-place `integrity_check` or `quick_check`.
   */
  checks?: string[];
  /** --in-place: why the full integrity_check was not run again (the backup's check stands). */
  fullCheckAtBackup?: string;
  warnings: string[];
  durationMs: number;
  error?: RunnerError;
}

/** One check of a source in a restore drill. */
export interface VerifyCheck {
  name: 'files' | 'sha256' | 'integrity_check' | 'dump-trailer' | 'mysql-load' | 'postgres-load';
  status: 'ok' | 'failed' | 'skipped';
  detail: string;
}

export interface VerifySourceResult {
  source: string;
  sourceType: string;
  status: 'ok' | 'failed';
  /** One line for a person: what passed, or the first thing that failed. */
  detail: string;
  files: number;
  bytes: number;
  checks: VerifyCheck[];
}

/** `backup-runner verify --json`: printed as each source of the drill is done. */
export interface VerifySourceRecord extends VerifySourceResult {
  type: 'verify-source';
  target: string;
  snapshotId: string;
}

/** `backup-runner verify --json`: the last record of a drill. */
export interface VerifyResultRecord {
  type: 'verify';
  target: string;
  /** Empty when no snapshot could be found. */
  snapshotId: string;
  snapshotTime?: string;
  status: 'ok' | 'failed' | 'cancelled';
  sources: VerifySourceResult[];
  durationMs: number;
  at: string;
  error?: RunnerError;
}

/** `backup-runner version --json`: what a client needs to decide whether it can use this runner. */
export interface VersionRecord {
  type: 'version';
  version: string;
  protocol: number;
  /** `process.platform` and `process.arch` of the runner (linux, x64...). */
  platform: string;
  arch: string;
  /** The Node.js version running the runner (the one built in, for the self-contained runner). */
  node: string;
  /** A single executable with Node.js and better-sqlite3 inside (no Node needed on the host). */
  selfContained: boolean;
  /** restic on this runner's PATH, or why not (code restic-missing or restic-too-old). */
  restic: { ok: true; version: string } | { ok: false; error: RunnerError };
}

/** `backup-runner read-spec --json`: the spec file as it is on the host (for a diff before deploy). */
export interface SpecFileRecord {
  type: 'spec-file';
  path: string;
  exists: boolean;
  /** The file's text; absent when it does not exist. */
  text?: string;
  /** Permission bits, owner and group of the existing file. */
  mode?: number;
  uid?: number;
  gid?: number;
}

/** `backup-runner write-spec --json`: a spec written atomically from stdin. */
export interface SpecWrittenRecord {
  type: 'spec-written';
  path: string;
  /** The file did not exist before. */
  created: boolean;
  bytes: number;
  mode: number;
  uid: number;
  gid: number;
  /** The written spec, validated by this runner. */
  validation: ValidationRecord;
}

export type RunnerRecord =
  | ValidationRecord
  | RunEvent
  | PlanRecord
  | ErrorRecord
  | InitRecord
  | CheckResultRecord
  | StatusRecord
  | ScheduleRecord
  | SnapshotRecord
  | ListingRecord
  | FileRecord
  | FileChunkRecord
  | SqliteSummaryRecord
  | RestoreRecord
  | VerifySourceRecord
  | VerifyResultRecord
  | VersionRecord
  | SpecFileRecord
  | SpecWrittenRecord;

export function encodeRecord(record: RunnerRecord): string {
  return JSON.stringify(record);
}

/** Parses one line of runner output; undefined for anything that is not a record. */
export function decodeRecord(line: string): RunnerRecord | undefined {
  return parseTyped<RunnerRecord>(line);
}

/** A JSON object with a string `type`, or undefined (a stray line from a child process, say). */
function parseTyped<T>(line: string): T | undefined {
  try {
    const value: unknown = JSON.parse(line);
    if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { type?: unknown }).type === 'string'
    )
      return value as T;
  } catch {
    // Not JSON.
  }
  return undefined;
}

/**
 * `backup-runner serve --stdio`: many commands over one connection (one SSH session per host).
 * The client writes one ServeRequest per line on stdin; the server answers with ServeMessages,
 * each tagged with the request's id. Each request runs as its own runner process (its own
 * signals, exit status and lock), stopped cleanly by a ServeCancel or when the connection ends.
 */
export type ServeRequest =
  | {
      type: 'request';
      id: number;
      /** The runner's arguments, e.g. ["status", "-c", "/etc/backup.yaml", "--json"]. */
      argv: string[];
      /** Written to the command's stdin, which is then closed (write-spec reads the spec there). */
      input?: string;
    }
  | { type: 'cancel'; id: number };

export type ServeMessage =
  /** First line of a session: the runner's version record. */
  | { type: 'serve-ready'; version: VersionRecord }
  /** A record the command printed on stdout. */
  | { type: 'serve-record'; id: number; record: RunnerRecord }
  /** A line the command printed on stderr (or a stdout line that is not a record). */
  | { type: 'serve-text'; id: number; stream: 'stdout' | 'stderr'; line: string }
  /** The command ended; exitCode 130 after a cancel. */
  | { type: 'serve-exit'; id: number; exitCode: number }
  /** A request the server could not start (bad JSON, unknown id). */
  | { type: 'serve-error'; id?: number; error: RunnerError };

export function encodeServe(message: ServeMessage | ServeRequest): string {
  return JSON.stringify(message);
}

/** Parses one line of a serve session; undefined for anything else. */
export function decodeServe<T extends ServeMessage | ServeRequest>(line: string): T | undefined {
  return parseTyped<T>(line);
}
