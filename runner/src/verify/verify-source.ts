import { join } from 'node:path';
import type { VerifyCheck, VerifySourceResult } from '../protocol';
import { runSqliteChild } from '../sources/sqlite/sqlite-child';
import type { Manifest, ManifestEntry } from '../staging/manifest';
import type { FilesCheck } from '../restore/manifest-check';
import { checkRestoredFiles, describeProblems } from '../restore/manifest-check';
import type { MysqlConnection } from './mysql-client';
import { isSqliteFile } from '../restore/place-restored';
import { sourceFiles } from '../snapshots/snapshot-manifest';
import { checkDumpTrailer, loadDump } from './verify-mysql';

export interface SourceCheckInput {
  source: string;
  sourceType: string;
  /** The restored run directory. */
  runDir: string;
  manifest: Manifest;
  /** The verify.mysql server, when the spec names one. */
  mysql: MysqlConnection | undefined;
  signal: AbortSignal;
}

/**
 * The drill for one restored source: every file against the manifest (size, sha256, nothing
 * missing or extra), then by type: `PRAGMA integrity_check` of each SQLite copy; each MySQL
 * dump's trailer, and its load into a scratch database when there is a server for it.
 */
export async function verifySource(input: SourceCheckInput): Promise<VerifySourceResult> {
  const { source, sourceType, runDir, manifest, signal } = input;
  const entries = sourceFiles(manifest, source);
  const files = await checkRestoredFiles(runDir, entries, source, signal);
  const checks: VerifyCheck[] = [filesCheck(files, sourceType)];
  const intact = checks[0]?.status === 'ok';
  if (sourceType === 'sqlite') checks.push(...(await checkSqlite(runDir, entries, signal)));
  if (sourceType === 'mysql') checks.push(...(await checkMysql(input, entries, intact)));
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
    return sourceType === 'files'
      ? { name: 'files', status: 'ok', detail: 'no files were staged' }
      : { name: 'files', status: 'failed', detail: 'the manifest lists no file of this source' };
  const matching = files.verified === 1 ? 'file matches' : 'files match';
  return { name: 'sha256', status: 'ok', detail: `${files.verified} ${matching} the manifest` };
}

async function checkSqlite(
  runDir: string,
  entries: ManifestEntry[],
  signal: AbortSignal,
): Promise<VerifyCheck[]> {
  const checks: VerifyCheck[] = [];
  for (const entry of entries) {
    const path = join(runDir, entry.path);
    if (entry.type !== 'file' || !(await isSqliteFile(path))) continue;
    const reply = await runSqliteChild({ job: 'integrity', file: path, mode: 'full' }, signal);
    if (reply === 'cancelled')
      return [...checks, { name: 'integrity_check', status: 'failed', detail: 'cancelled' }];
    const passed = reply.ok && reply.lines.length === 1 && reply.lines[0] === 'ok';
    checks.push({
      name: 'integrity_check',
      status: passed ? 'ok' : 'failed',
      detail: passed
        ? `integrity_check ok (${entry.path})`
        : `${entry.path}: ${reply.ok ? reply.lines.slice(0, 3).join('; ') : `${reply.code ?? ''} ${reply.message ?? ''}`.trim()}`,
    });
  }
  if (checks.length === 0)
    checks.push({
      name: 'integrity_check',
      status: 'failed',
      detail: 'no SQLite database was restored',
    });
  return checks;
}

async function checkMysql(
  input: SourceCheckInput,
  entries: ManifestEntry[],
  intact: boolean,
): Promise<VerifyCheck[]> {
  const dumps = entries.filter((e) => e.type === 'file' && e.path.endsWith('.sql'));
  if (dumps.length === 0)
    return [{ name: 'dump-trailer', status: 'failed', detail: 'no dump (.sql) was restored' }];
  const metadata = input.manifest.sources[input.source]?.metadata ?? {};
  const tables = Array.isArray(metadata['tables']) ? metadata['tables'].map(String) : [];
  const checks: VerifyCheck[] = [];
  for (const dump of dumps) {
    const path = join(input.runDir, dump.path);
    const trailer = await checkDumpTrailer(path);
    checks.push(trailer);
    if (!input.mysql) continue;
    if (!intact || trailer.status !== 'ok') {
      checks.push({
        name: 'mysql-load',
        status: 'skipped',
        detail: 'not loaded: the dump is damaged',
      });
      continue;
    }
    checks.push(await loadDump(input.mysql, path, dumps.length === 1 ? tables : [], input.signal));
  }
  if (!input.mysql)
    checks.push({
      name: 'mysql-load',
      status: 'skipped',
      detail: 'not loaded: the spec names no verify.mysql server',
    });
  return checks;
}
