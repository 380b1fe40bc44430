import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RunConfig } from '../config';
import type { Manifest } from '../staging/manifest';
import { StagingLayout } from '../staging/layout';
import { renderMetrics } from './metrics';
import type { BackupState, RunRecord } from './state';
import { updateState, writeJsonAtomically } from './state';

/**
 * Records a finished run in the state file, and refreshes what monitoring reads from it: the
 * status file and the Prometheus metrics. Returns problems as warnings: a run that backed up
 * its data must not fail because a status file could not be written.
 */
export async function recordRun(
  config: RunConfig,
  run: RunRecord,
  manifest: Manifest | undefined,
): Promise<string[]> {
  const warnings: string[] = [];
  const layout = new StagingLayout(config.staging.dir);
  if (manifest) {
    for (const file of manifest.files) {
      const source = file.path.split('/')[0] ?? '';
      run.sources[source] = { bytes: (run.sources[source]?.bytes ?? 0) + file.size };
    }
  }
  let state: BackupState | undefined;
  try {
    state = await updateState(
      layout.stateFile,
      { name: config.name, spec: config.specPath },
      (s) => {
        s.lastRun = run;
        if (run.status === 'ok') s.lastSuccess = run;
      },
    );
  } catch (error) {
    warnings.push(`cannot write the state file ${layout.stateFile}: ${String(error)}`);
    return warnings;
  }
  warnings.push(...(await publishState(config, state)));
  return warnings;
}

/** Copies the state to notify.status_file and renders notify.metrics_file, both atomically. */
export async function publishState(config: RunConfig, state: BackupState): Promise<string[]> {
  const warnings: string[] = [];
  const { status_file: statusFile, metrics_file: metricsFile } = config.notify ?? {};
  if (statusFile) {
    await writeJsonAtomically(statusFile, state).catch((error: unknown) =>
      warnings.push(`cannot write notify.status_file ${statusFile}: ${String(error)}`),
    );
  }
  if (metricsFile) {
    // The textfile collector reads *.prom files at any moment: write aside, then rename.
    const temporary = `${metricsFile}.${process.pid}.tmp`;
    await mkdir(dirname(metricsFile), { recursive: true })
      .then(() => writeFile(temporary, renderMetrics(state), { mode: 0o644 }))
      .then(() => rename(temporary, metricsFile))
      .catch(async (error: unknown) => {
        await rm(temporary, { force: true }).catch(() => undefined);
        warnings.push(`cannot write notify.metrics_file ${metricsFile}: ${String(error)}`);
      });
  }
  return warnings;
}
