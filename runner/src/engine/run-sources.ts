import { join } from 'node:path';
import type { Result } from '../result';
import { ok } from '../result';
import { dumperFor } from '../sources/registry';
import type { Manifest } from '../staging/manifest';
import { buildManifest } from '../staging/manifest';
import { createPartialRun, promoteRun } from '../staging/promote';
import { stepIds } from './plan';
import type { RunContext } from './run-context';
import { refuseEmpty } from './source-guards';

/**
 * Dumps every source into the partial run, hashes it into manifest.json and promotes it to
 * `current/`. Any failure leaves `current/` as it was: a run is all or nothing.
 */
export async function stageRun(context: RunContext): Promise<Result<Manifest>> {
  const { config, layout, runId, reporter, signal } = context;
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
          ...password,
        });
        if (!dumped.ok) return dumped;
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
  return ok(manifest.value);
}
