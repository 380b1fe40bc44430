// Running a database source's real dumper the way the engine does, for the mysql and postgres
// dump tests: a fresh 0700 output directory, the progress and warnings it reported.
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Result, RunnerError } from '../../runner/src/result';
import type {
  SourceDumper,
  SourceDumpOutput,
  SourceProgress,
} from '../../runner/src/sources/source-dumper';
import type { Source } from '../../runner/src/spec/types';

export interface DumpRun {
  result: Result<SourceDumpOutput>;
  outDir: string;
  progress: SourceProgress[];
  warnings: string[];
}

export interface DumpRunOptions {
  signal?: AbortSignal;
  outDir?: string;
}

/** A new empty output directory (mode 0700, as the engine makes it) in a temp directory. */
export async function newOutDir(prefix: string): Promise<string> {
  const outDir = join(await mkdtemp(join(tmpdir(), prefix)), 'out');
  await mkdir(outDir, { mode: 0o700 });
  return outDir;
}

/** Runs `dumper` on `source` (named `name`), recording what it reports. */
export async function runDumper<S extends Source>(
  dumper: SourceDumper<S>,
  name: string,
  source: S,
  outDirPrefix: string,
  options: DumpRunOptions = {},
): Promise<DumpRun> {
  const outDir = options.outDir ?? (await newOutDir(outDirPrefix));
  const progress: SourceProgress[] = [];
  const warnings: string[] = [];
  const result = await dumper({
    name,
    source,
    outDir,
    signal: options.signal ?? new AbortController().signal,
    progress: (update) => progress.push(update),
    warn: (message) => warnings.push(message),
  });
  return { result, outDir, progress, warnings };
}

export function expectError(result: Result<unknown>): RunnerError {
  if (result.ok) throw new Error('expected the dump to fail, but it succeeded');
  return result.error;
}

/** A 0600 file holding `password` and a newline, in a new temp directory. */
export async function writeSecretFile(prefix: string, fileName: string, password: string) {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const file = join(dir, fileName);
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return file;
}

export const listDir = (dir: string) => readdir(dir);
