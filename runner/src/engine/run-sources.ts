import { join } from 'node:path';
import type { RunConfig } from '../config';
import type { Result } from '../result';
import { ok } from '../result';
import { dumperFor } from '../sources/registry';
import type { StagingLayout } from '../staging/layout';
import type { Manifest } from '../staging/manifest';
import { buildManifest } from '../staging/manifest';
import { createPartialRun, promoteRun } from '../staging/promote';
import type { RunReporter } from './reporter';

/**
 * Dumps every source into the partial run, hashes it into manifest.json and promotes it to
 * `current/`. Any failure leaves `current/` as it was: a run is all or nothing.
 */
export async function stageRun(
  config: RunConfig,
  layout: StagingLayout,
  runId: string,
  runnerVersion: string,
  signal: AbortSignal,
  reporter: RunReporter,
): Promise<Result<Manifest>> {
  const partial = await createPartialRun(
    layout,
    runId,
    config.sources.map((s) => s.name),
  );
  if (!partial.ok) return partial;
  const metadata: Manifest['sources'] = {};
  for (const { name, source } of config.sources) {
    const dumper = dumperFor(source);
    const result = await reporter.step(
      { id: `dump:${name}`, title: `dump ${source.type} source "${name}"` },
      (context) =>
        dumper({
          name,
          source,
          outDir: join(partial.value, name),
          signal,
          progress: ({ bytesDone, bytesTotal, detail }) =>
            context.progress(bytesDone, bytesTotal, detail),
          warn: (message) => context.warn(`${name}: ${message}`),
        }),
      (value) => value.metadata,
    );
    if (!result.ok)
      return { ok: false, error: { ...result.error, subject: result.error.subject ?? name } };
    metadata[name] = { type: source.type, metadata: result.value.metadata };
  }
  const manifest = await reporter.step(
    { id: 'manifest', title: 'hash the staged files into manifest.json' },
    (context) => {
      let bytes = 0;
      return buildManifest(
        partial.value,
        { runId, name: config.name, host: config.host, runnerVersion, sources: metadata },
        signal,
        (n) => context.progress((bytes += n)),
      );
    },
    (value) => ({
      files: value.files.length,
      bytes: value.files.reduce((sum, f) => sum + f.size, 0),
    }),
  );
  if (!manifest.ok) return manifest;
  const promoted = await reporter.step(
    { id: 'promote', title: `make the run ${layout.current}` },
    () => promoteRun(layout, runId),
  );
  if (!promoted.ok) return promoted;
  return ok(manifest.value);
}
