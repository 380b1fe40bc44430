import { readState } from '../monitoring/state';
import type { Manifest } from '../staging/manifest';
import { StagingLayout } from '../staging/layout';
import type { TargetSession } from '../snapshots/target-session';

/**
 * Why a restored SQLite copy needs no second full `PRAGMA integrity_check`, or undefined when it
 * does. It needs none when the very bytes restored (their sha256 matched the manifest, checked
 * before this is asked) passed a full check when they were backed up, as recorded:
 * - by the manifest itself (`integrityCheck: {mode: full, result: ok}`: checked before the
 *   backup), or
 * - for a check that ran alongside the backup (`result: alongside-backup`: the manifest was
 *   written before it ended), by the state file: the run that made the snapshot is this spec's
 *   last success, and a run succeeds only once its check passed (a failed check withdraws the
 *   snapshot; a run killed during it never counts as a success).
 */
export async function fullCheckAtBackup(
  session: TargetSession,
  manifest: Manifest,
  source: string,
): Promise<string | undefined> {
  const check = manifest.sources[source]?.metadata['integrityCheck'];
  if (!check || typeof check !== 'object') return undefined;
  const { mode, result } = check as { mode?: unknown; result?: unknown };
  if (mode !== 'full') return undefined;
  if (result === 'ok')
    return `its copy passed a full integrity_check when run ${manifest.runId} backed it up (manifest)`;
  if (result !== 'alongside-backup') return undefined;
  const state = await readState(new StagingLayout(session.config.staging.dir).stateFile).catch(
    () => undefined,
  );
  if (state?.lastSuccess?.runId !== manifest.runId || state.lastSuccess.status !== 'ok')
    return undefined;
  return `its copy passed a full integrity_check when run ${manifest.runId} backed it up (that run succeeded)`;
}
