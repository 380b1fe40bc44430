import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after } from 'node:test';
import type { Result } from '../../../runner/src/result';
import type { SnapshotSeams } from '../../../runner/src/sources/sqlite/copy-request';
import { dumpSqliteWithSeams } from '../../../runner/src/sources/sqlite/index';
import type { SourceDumpOutput, SourceProgress } from '../../../runner/src/sources/source-dumper';
import type { SqliteSource } from '../../../runner/src/spec/types';

/** A scratch directory for one test file, removed when the file's tests end. */
export function scratchDirectory(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `backup-yaml-${prefix}-`));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface DumpRun {
  result: Result<SourceDumpOutput>;
  outDir: string;
  /** Where the copy is when the dump succeeded. */
  copy: string;
  warnings: string[];
  progress: SourceProgress[];
  metadata: Record<string, unknown>;
}

export interface DumpOptions {
  source?: Partial<SqliteSource>;
  signal?: AbortSignal;
  seams?: SnapshotSeams;
  onProgress?: (update: SourceProgress) => void;
}

let runs = 0;

/** Runs the SQLite dumper the way the engine does, into a fresh 0700 directory under `scratch`. */
export async function dump(
  scratch: string,
  path: string,
  options: DumpOptions = {},
): Promise<DumpRun> {
  const outDir = join(scratch, `run-${++runs}`, 'db');
  mkdirSync(outDir, { recursive: true, mode: 0o700 });
  const warnings: string[] = [];
  const progress: SourceProgress[] = [];
  const result = await dumpSqliteWithSeams(
    {
      name: 'tracker-db',
      source: { type: 'sqlite', path, ...options.source },
      outDir,
      signal: options.signal ?? new AbortController().signal,
      progress: (update) => {
        progress.push(update);
        options.onProgress?.(update);
      },
      warn: (message) => warnings.push(message),
    },
    options.seams,
  );
  return {
    result,
    outDir,
    copy: join(outDir, basename(path)),
    warnings,
    progress,
    metadata: result.ok ? result.value.metadata : {},
  };
}

export function filesIn(dir: string): string[] {
  return readdirSync(dir).sort();
}
