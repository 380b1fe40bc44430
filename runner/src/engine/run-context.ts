import type { RunConfig } from '../config';
import type { HeldLock } from '../lock';
import type { BackupState } from '../monitoring/state';
import type { ResticInvocation } from '../restic/invocation';
import type { StagingLayout } from '../staging/layout';
import type { RunReporter } from './reporter';

/** Everything the steps of one run share, so no step takes a long list of positional arguments. */
export interface RunContext {
  config: RunConfig;
  layout: StagingLayout;
  runId: string;
  runnerVersion: string;
  /** Aborted on SIGINT/SIGTERM: children are stopped, the partial run dropped, the lock released. */
  signal: AbortSignal;
  reporter: RunReporter;
  /** Per target, how restic is started; with the secrets once the preflight has read them. */
  invocations: Map<string, ResticInvocation>;
  /** The BACKUP_* variables every hook gets. */
  hookEnv: Record<string, string>;
  /** The run lock, once taken. */
  lock?: HeldLock;
  /** The state file as the run started (last success, checks, drills). */
  state: BackupState | undefined;
  /** MySQL passwords read in the preflight, by source name. */
  sourcePasswords: Map<string, string | undefined>;
  /** Accept this run's source sizes, however far they fell (--accept-shrink). */
  acceptShrink: boolean;
  /** When the run started (ms since the epoch). */
  startedAt: number;
}
