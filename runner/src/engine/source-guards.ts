import type { NamedSource, RunConfig } from '../config';
import type { BackupState } from '../monitoring/state';
import type { Result, RunnerError } from '../result';
import { fail, ok } from '../result';
import type { SourceDumpOutput } from '../sources/source-dumper';
import type { Manifest } from '../staging/manifest';

/** The restic tag of a snapshot whose run found a source far smaller than before. */
export const SHRUNK_TAG = 'backup-yaml:shrunk';
const DEFAULT_MAX_SHRINK = 0.5;

/**
 * An empty source fails the run unless the spec allows it: a truncated database or a glob that
 * no longer matches looks exactly like a successful dump of nothing, and retention would then
 * forget the good snapshots.
 */
export function refuseEmpty(named: NamedSource, output: SourceDumpOutput): Result<void> {
  if (output.empty === undefined || named.source.allow_empty === true) return ok(undefined);
  return fail(
    'source-empty',
    `source "${named.name}" is empty: ${output.empty}; nothing was backed up and no snapshot was forgotten`,
    {
      subject: named.name,
      hint: 'if it is empty on purpose, set allow_empty: true on the source',
    },
  );
}

export interface ShrunkSource {
  source: string;
  bytes: number;
  previousBytes: number;
  /** The fraction it may shrink by (max_shrink). */
  maxShrink: number;
}

/**
 * Sources whose staged size fell below what max_shrink allows, compared with the last
 * successful run (a flagged run is not a success, so a source that stays small stays flagged
 * until the run is accepted with --accept-shrink or the spec's max_shrink says otherwise).
 */
export function findShrunkSources(
  config: RunConfig,
  manifest: Manifest,
  state: BackupState | undefined,
): ShrunkSource[] {
  const previous = state?.lastSuccess?.sources ?? {};
  const staged = stagedBytes(manifest);
  const shrunk: ShrunkSource[] = [];
  for (const { name, source } of config.sources) {
    const before = previous[name]?.bytes;
    const maxShrink = parsePercent(source.max_shrink) ?? DEFAULT_MAX_SHRINK;
    const now = staged.get(name) ?? 0;
    if (before === undefined || before === 0 || maxShrink >= 1) continue;
    // allow_empty says that nothing at all is a normal state of this source.
    if (now === 0 && source.allow_empty === true) continue;
    if (now < before * (1 - maxShrink))
      shrunk.push({ source: name, bytes: now, previousBytes: before, maxShrink });
  }
  return shrunk;
}

export function shrunkError(shrunk: ShrunkSource[]): RunnerError {
  const what = shrunk
    .map(
      (s) =>
        `"${s.source}" ${s.bytes} bytes after ${s.previousBytes} at the last success (max_shrink ${Math.round(s.maxShrink * 100)}%)`,
    )
    .join('; ');
  return {
    code: 'source-shrunk',
    message: `a source shrank far below its last size: ${what}. The snapshot was kept and tagged ${SHRUNK_TAG}; retention was skipped, nothing was forgotten`,
    subject: shrunk[0]?.source ?? '',
    hint: 'if the new size is right, run once with `backup-runner run --accept-shrink` (or raise max_shrink)',
  };
}

/** Staged bytes per source, from the manifest's entries (`<source>/...`). */
export function stagedBytes(manifest: Manifest): Map<string, number> {
  const bytes = new Map<string, number>();
  for (const file of manifest.files) {
    const source = file.path.split('/')[0] ?? '';
    bytes.set(source, (bytes.get(source) ?? 0) + file.size);
  }
  return bytes;
}

function parsePercent(value: string | undefined): number | undefined {
  const match = value === undefined ? null : /^(\d{1,3})%$/.exec(value);
  return match ? Number(match[1]) / 100 : undefined;
}
