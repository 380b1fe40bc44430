import type { VerifyRecord } from '../monitoring/state';
import { updateState } from '../monitoring/state';
import type { VerifyResultRecord, VerifySourceResult } from '../protocol';
import type { Result } from '../result';
import { errorMessage, fail, ok } from '../result';
import { StagingLayout } from '../staging/layout';
import { readManifest } from '../staging/manifest';
import { resolveSnapshotCacheFirst } from '../snapshots/resolve-snapshot';
import { restoreToPrivateDir } from '../restore/restore-staging';
import { snapshotLayout } from '../snapshots/snapshot-layout';
import type { TargetSession } from '../snapshots/target-session';
import { allModules } from '../sources/registry';
import type { SourceDrill } from '../sources/source-module';
import { verifySource } from './verify-source';

export interface VerifyOptions {
  snapshot: string;
  /** Called as each source is done, for streaming output. */
  onSource: (result: VerifySourceResult, snapshotId: string) => void;
}

/**
 * The restore drill: restores a snapshot (the latest by default) into a scratch directory
 * (`verify.scratch_dir`, else the staging directory, which is sized for a full copy), checks each
 * source (verify-source.ts), removes the scratch copy, and records the outcome as `lastVerify`
 * in the state file. A drill that could not even restore is recorded as failed too: that is what
 * a restore on the bad day would have done.
 */
export async function verifySnapshot(
  session: TargetSession,
  options: VerifyOptions,
): Promise<VerifyResultRecord> {
  const started = Date.now();
  const record: VerifyResultRecord = {
    type: 'verify',
    target: session.target.name,
    snapshotId: '',
    status: 'failed',
    sources: [],
    durationMs: 0,
    at: new Date(started).toISOString(),
  };
  const outcome = await drill(session, options, record);
  if (!outcome.ok) record.error = outcome.error;
  const failed = !outcome.ok || record.sources.some((s) => s.status === 'failed');
  record.status = session.signal.aborted ? 'cancelled' : failed ? 'failed' : 'ok';
  record.durationMs = Date.now() - started;
  if (record.status !== 'cancelled') {
    const saved = await saveResult(session, record);
    if (!saved.ok) record.error ??= saved.error;
  }
  return record;
}

async function drill(
  session: TargetSession,
  options: VerifyOptions,
  record: VerifyResultRecord,
): Promise<Result<void>> {
  const snapshot = await resolveSnapshotCacheFirst(session, options.snapshot);
  if (!snapshot.ok) return snapshot;
  record.snapshotId = snapshot.value.id;
  record.snapshotTime = snapshot.value.time;
  const drills = await prepareDrills(session);
  if (!drills.ok) return drills;
  const layout = snapshotLayout(session, snapshot.value);
  const scratch = session.config.verify?.scratch_dir ?? session.config.staging.dir;
  const tree = await restoreToPrivateDir(
    session,
    snapshot.value,
    layout,
    [...layout.sources, 'manifest.json'],
    scratch,
    '.backup-yaml-verify-',
  );
  if (!tree.ok) return tree;
  try {
    const manifest = await readManifest(tree.value.runDir);
    if (!manifest.ok)
      return fail(
        'manifest-missing',
        `snapshot ${snapshot.value.shortId} has no readable manifest.json: its files cannot be checked`,
        {
          hint: 'snapshots made by backup-runner run always have one',
        },
      );
    for (const source of layout.sources) {
      if (session.signal.aborted) return fail('cancelled', 'the drill was cancelled');
      const sourceType = sourceTypeOf(session, manifest.value.sources, source);
      const result = await verifySource({
        source,
        sourceType,
        runDir: tree.value.runDir,
        manifest: manifest.value,
        drill: drills.value.get(sourceType),
        signal: session.signal,
      });
      record.sources.push(result);
      options.onSource(result, snapshot.value.id);
    }
    return ok(undefined);
  } finally {
    await tree.value.remove();
  }
}

/**
 * Each source type's drill, made before anything is restored: a verify server's client is found
 * and its password read now, so a drill that cannot load a dump fails before a long restore.
 */
async function prepareDrills(session: TargetSession): Promise<Result<Map<string, SourceDrill>>> {
  const drills = new Map<string, SourceDrill>();
  for (const [type, module] of allModules()) {
    const drill = await module.prepareDrill(session.config.verify, session.signal);
    if (!drill.ok) return drill;
    drills.set(type, drill.value);
  }
  return ok(drills);
}

function sourceTypeOf(
  session: TargetSession,
  staged: Record<string, { type: string }>,
  source: string,
): string {
  return (
    staged[source]?.type ??
    session.config.sources.find((s) => s.name === source)?.source.type ??
    'unknown'
  );
}

async function saveResult(
  session: TargetSession,
  record: VerifyResultRecord,
): Promise<Result<void>> {
  const { config } = session;
  const entry: VerifyRecord = {
    at: record.at,
    status: record.status === 'ok' ? 'ok' : 'failed',
    target: record.target,
    snapshotId: record.snapshotId,
    sources: Object.fromEntries(
      record.sources.map((s) => [s.source, { status: s.status, detail: s.detail }]),
    ),
    ...(record.error ? { error: record.error } : {}),
  };
  try {
    await updateState(
      new StagingLayout(config.staging.dir).stateFile,
      { name: config.name, spec: config.specPath },
      (state) => {
        state.lastVerify = entry;
      },
    );
    return ok(undefined);
  } catch (error) {
    return fail('state-io', `cannot record the drill in the state file: ${errorMessage(error)}`);
  }
}
