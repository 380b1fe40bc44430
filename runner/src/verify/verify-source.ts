import type { VerifyCheck, VerifySourceResult } from '../protocol';
import { moduleForType } from '../sources/registry';
import type { SourceDrill } from '../sources/source-module';
import type { Manifest } from '../staging/manifest';
import type { FilesCheck } from '../restore/manifest-check';
import { checkRestoredFiles, describeProblems } from '../restore/manifest-check';
import { sourceFiles } from '../snapshots/snapshot-manifest';

export interface SourceCheckInput {
  source: string;
  sourceType: string;
  /** The restored run directory. */
  runDir: string;
  manifest: Manifest;
  /** The drill of this source's type, prepared once for the whole drill (verify servers). */
  drill: SourceDrill | undefined;
  signal: AbortSignal;
}

/**
 * The drill for one restored source: every file against the manifest (size, sha256, nothing
 * missing or extra), then what its type's module checks (sources/<type>/module.ts): `PRAGMA
 * integrity_check` of each SQLite copy; each MySQL or PostgreSQL dump's trailer, and its load
 * into a scratch database when the spec names a server for it.
 */
export async function verifySource(input: SourceCheckInput): Promise<VerifySourceResult> {
  const { source, sourceType, runDir, manifest, signal } = input;
  const entries = sourceFiles(manifest, source);
  const files = await checkRestoredFiles(runDir, entries, source, signal);
  const checks: VerifyCheck[] = [filesCheck(files, sourceType)];
  const intact = checks[0]?.status === 'ok';
  const metadata = manifest.sources[source]?.metadata ?? {};
  if (input.drill)
    checks.push(...(await input.drill({ source, runDir, entries, metadata, intact, signal })));
  const failed = checks.find((c) => c.status === 'failed');
  return {
    source,
    sourceType,
    status: failed ? 'failed' : 'ok',
    detail: failed
      ? `${failed.name}: ${failed.detail}`
      : checks
          .filter((c) => c.status === 'ok')
          .map((c) => c.detail)
          .join(', '),
    files: files.files,
    bytes: files.bytes,
    checks,
  };
}

function filesCheck(files: FilesCheck, sourceType: string): VerifyCheck {
  if (files.problems.length > 0)
    return { name: 'sha256', status: 'failed', detail: describeProblems(files.problems) };
  if (files.files === 0)
    // A files source whose globs matched nothing stages nothing (the run warned about it); a
    // database source always stages a file.
    return moduleForType(sourceType)?.mayStageNothing === true
      ? { name: 'files', status: 'ok', detail: 'no files were staged' }
      : { name: 'files', status: 'failed', detail: 'the manifest lists no file of this source' };
  const matching = files.verified === 1 ? 'file matches' : 'files match';
  return { name: 'sha256', status: 'ok', detail: `${files.verified} ${matching} the manifest` };
}
