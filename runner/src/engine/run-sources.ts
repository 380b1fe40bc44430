import { join } from 'node:path';
import type { Result } from '../result';
import { ok } from '../result';
import { dumperFor } from '../sources/registry';
import type { DeferredCheck, PendingCheck } from '../sources/source-dumper';
import type { Manifest } from '../staging/manifest';
import { buildManifest } from '../staging/manifest';
import { createPartialRun, promoteRun } from '../staging/promote';
import { stepIds } from './plan';
import type { RunContext } from './run-context';
import { refuseEmpty } from './source-guards';

export interface StagedRun {
  manifest: Manifest;
  /** The checks of staged copies still running (source → check), awaited before retention. */
  pendingChecks: Map<string, PendingCheck>;
  /** The run that was current/ before this one, to put back if this one is withdrawn. */
  previousRun: string | undefined;
}

/** Stops checks whose answer no longer matters (the run failed before needing it). */
export async function stopChecks(checks: Map<string, PendingCheck>): Promise<void> {
  for (const check of checks.values()) check.stop();
  await Promise.all([...checks.values()].map((check) => check.result));
}

/**
 * Dumps every source into the partial run, hashes it into manifest.json and promotes it to
 * `current/`. Any failure leaves `current/` as it was: a run is all or nothing. A source's check
 * of its copy (SQLite's integrity_check) is started on the promoted copy and left running:
 * copy-checks.ts waits for it.
 */
export async function stageRun(context: RunContext): Promise<Result<StagedRun>> {
  const { config, layout, runId, reporter, signal } = context;
  const deferredChecks = new Map<string, DeferredCheck>();
  const partial = await createPartialRun(
    layout,
    runId,
    config.sources.map((s) => s.name),
  );
  if (!partial.ok) return partial;
  const metadata: Manifest['sources'] = {};
  for (const named of config.sources) {
    const { name, source } = named;
    const dumper = dumperFor(source);
    const password = context.sourcePasswords.has(name)
      ? { password: { value: context.sourcePasswords.get(name) } }
      : {};
    const result = await reporter.step(
      stepIds.dump(name),
      async (step) => {
        const dumped = await dumper({
          name,
          source,
          outDir: join(partial.value, name),
          signal,
          progress: ({ bytesDone, bytesTotal, detail }) =>
            step.progress(bytesDone, bytesTotal, detail),
          warn: (message) => step.warn(`${name}: ${message}`),
          checkAlongside: true,
          ...password,
        });
        if (!dumped.ok) return dumped;
        if (dumped.value.deferredCheck) deferredChecks.set(name, dumped.value.deferredCheck);
        const empty = refuseEmpty(named, dumped.value);
        return empty.ok ? dumped : empty;
      },
      (value) => value.metadata,
    );
    if (!result.ok)
      return { ok: false, error: { ...result.error, subject: result.error.subject ?? name } };
    metadata[name] = { type: source.type, metadata: result.value.metadata };
  }
  const header = {
    runId,
    name: config.name,
    host: config.host,
    runnerVersion: context.runnerVersion,
    sources: metadata,
  };
  const manifest = await reporter.step(
    stepIds.manifest,
    (step) => {
      let bytes = 0;
      return buildManifest(partial.value, header, signal, (n) => step.progress((bytes += n)));
    },
    (value) => ({
      files: value.files.length,
      bytes: value.files.reduce((sum, f) => sum + f.size, 0),
    }),
  );
  if (!manifest.ok) return manifest;
  const promoted = await reporter.step(stepIds.promote, () => promoteRun(layout, runId));
  if (!promoted.ok) return promoted;
  // Started where the copies now are, so that each check opens the file restic will read.
  const pendingChecks = new Map<string, PendingCheck>();
  for (const [name, check] of deferredChecks)
    pendingChecks.set(name, check.start(layout.currentSource(name)));
  return ok({ manifest: manifest.value, pendingChecks, previousRun: promoted.value.previous });
}
