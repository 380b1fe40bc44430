import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { dumpArguments } from '../../runner/src/sources/mysql/argv';
import { dumpMysql } from '../../runner/src/sources/mysql/index';
import { renderClientOptions } from '../../runner/src/sources/mysql/options-file';
import { openSecretFifo } from '../../runner/src/secret-fifo';
import type { MysqlSource } from '../../runner/src/spec/types';

export interface Context {
  source: MysqlSource;
  password: string;
  scratch: string;
  /** RESTIC_PASSWORD_FILE for every repository of the benchmark. */
  resticPasswordFile: string;
  /** CPU seconds used so far by everything involved (see cpu.ts). */
  cpu: () => number;
  /** Changes 1 % of the rows, spread over the table (as a tracker's counters change). */
  changeRows: () => Promise<void>;
}

export interface Measurement {
  seconds: number;
  /** CPU seconds of the dump tool, restic, the server and this process during the run. */
  cpuSeconds: number;
  /** Bytes of the dump (what the source produced). */
  dumpBytes: number;
  /** What restic stored (after its compression), when restic ran; on day 2, what it added. */
  storedBytes?: number;
}

type ResticPipeline = (
  context: Context,
  compression: Compression,
  repository?: string,
) => Promise<Measurement>;

/**
 * The steady state of a daily backup: the repository already holds yesterday's dump (made the
 * same way, not measured), 1 % of the rows changed since, and today's run is measured.
 */
export async function secondDay(
  context: Context,
  compression: Compression,
  pipeline: ResticPipeline,
): Promise<Measurement> {
  const repository = await initRepository(context);
  await pipeline(context, compression, repository);
  await context.changeRows();
  const before = await directorySize(repository);
  const today = await pipeline(context, compression, repository);
  return { ...today, storedBytes: (today.storedBytes ?? before) - before };
}

export type Compression = 'auto' | 'off';

/** The runner's dump into a staging file (the real dumper, with its checks). */
export async function dumpToFile(context: Context): Promise<Measurement> {
  const outDir = await freshDir(context, 'out');
  const cpuBefore = context.cpu();
  const started = performance.now();
  const result = await runDumper(context, outDir);
  const seconds = (performance.now() - started) / 1000;
  return { seconds, cpuSeconds: context.cpu() - cpuBefore, dumpBytes: result };
}

/** The dump tool's stdout handed straight to `restic backup --stdin` (restic 0.14: no --stdin-from-command). */
export async function dumpPipedToRestic(
  context: Context,
  compression: Compression,
  existingRepository?: string,
): Promise<Measurement> {
  const repository = existingRepository ?? (await initRepository(context));
  const fifo = await openSecretFifo(renderClientOptions(context.password));
  if (!fifo.ok) throw new Error(fifo.error.message);
  const cpuBefore = context.cpu();
  const started = performance.now();
  try {
    const dump = execa('mariadb-dump', dumpArguments(context.source, fifo.value.path), {
      stdin: 'ignore',
      stdout: 'pipe',
      buffer: false,
      reject: false,
    });
    // The dump's stdout socket itself becomes restic's stdin: no copy through this process.
    const restic = execa(
      'restic',
      [
        ...resticGlobals(compression),
        'backup',
        '--json',
        '--stdin',
        '--stdin-filename',
        'tracker.sql',
      ],
      { stdin: dump.stdout, env: resticEnv(context, repository), reject: false },
    );
    // Restic holds its own copy of the socket; ours would keep execa waiting for an end forever.
    dump.stdout.destroy();
    const [dumped, backedUp] = await Promise.all([dump, restic]);
    if (dumped.exitCode !== 0) throw new Error(`dump failed: ${dumped.exitCode}`);
    if (backedUp.exitCode !== 0) throw new Error(`restic failed: ${backedUp.stderr}`);
    const seconds = (performance.now() - started) / 1000;
    const cpuSeconds = context.cpu() - cpuBefore;
    const summary = resticSummary(String(backedUp.stdout));
    return {
      seconds,
      cpuSeconds,
      dumpBytes: summary.total_bytes_processed,
      storedBytes: await directorySize(repository),
    };
  } finally {
    await fifo.value.close();
  }
}

/** The runner's dump into a staging file, then `restic backup` of the staging directory. */
export async function dumpThenRestic(
  context: Context,
  compression: Compression,
  existingRepository?: string,
): Promise<Measurement> {
  const repository = existingRepository ?? (await initRepository(context));
  const outDir = await freshDir(context, 'out');
  const cpuBefore = context.cpu();
  const started = performance.now();
  const dumpBytes = await runDumper(context, outDir);
  const backedUp = await execa(
    'restic',
    [...resticGlobals(compression), 'backup', '--json', outDir],
    {
      env: resticEnv(context, repository),
      reject: false,
    },
  );
  if (backedUp.exitCode !== 0) throw new Error(`restic failed: ${backedUp.stderr}`);
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = context.cpu() - cpuBefore;
  return { seconds, cpuSeconds, dumpBytes, storedBytes: await directorySize(repository) };
}

async function runDumper(context: Context, outDir: string): Promise<number> {
  const result = await dumpMysql({
    name: 'bench',
    source: context.source,
    outDir,
    signal: new AbortController().signal,
    progress: () => undefined,
    warn: (message) => console.warn(message),
  });
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return (await stat(join(outDir, 'tracker.sql'))).size;
}

const resticGlobals = (compression: Compression) => [
  '--compression',
  compression,
  '--no-cache',
  '--quiet',
];

function resticEnv(context: Context, repository: string) {
  return { RESTIC_REPOSITORY: repository, RESTIC_PASSWORD_FILE: context.resticPasswordFile };
}

async function initRepository(context: Context): Promise<string> {
  const repository = await freshDir(context, 'repo');
  await rm(repository, { recursive: true });
  const init = await execa('restic', ['init'], {
    env: resticEnv(context, repository),
    reject: false,
  });
  if (init.exitCode !== 0) throw new Error(`restic init failed: ${init.stderr}`);
  return repository;
}

/** A directory under work/, which is emptied first: one measurement's files at a time on disk. */
async function freshDir(context: Context, name: string): Promise<string> {
  const dir = join(context.scratch, 'work', name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Removes what the last measurement left (dump files, repositories). */
export async function clearWork(context: Context): Promise<void> {
  await rm(join(context.scratch, 'work'), { recursive: true, force: true });
}

interface ResticSummary {
  total_bytes_processed: number;
}

/** What a repository takes on disk (restic 0.14's data_added is before compression). */
async function directorySize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

function resticSummary(stdout: string): ResticSummary {
  const line = stdout
    .split('\n')
    .reverse()
    .find((text) => text.includes('"message_type":"summary"'));
  if (line === undefined) throw new Error('restic printed no summary');
  return JSON.parse(line) as ResticSummary;
}
