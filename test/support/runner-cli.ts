import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { ResultPromise } from 'execa';
import { stringify } from 'yaml';
import type { RunEvent, RunnerRecord } from '../../runner/src/protocol';
import { decodeRecord, isRunEvent } from '../../runner/src/protocol';
import { runnerBin } from './paths';

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  records: RunnerRecord[];
}

/** Runs the bundled backup-runner and parses its JSON-lines output when there is any. */
export async function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const result = await execa('node', [runnerBin, ...args], { reject: false, env, stdin: 'ignore' });
  return toResult(result.exitCode ?? -1, String(result.stdout), String(result.stderr));
}

/** Starts backup-runner without waiting, for tests that signal or kill it. */
export function startCli(
  args: string[],
  env: Record<string, string> = {},
): ResultPromise<{ reject: false; stdin: 'ignore' }> {
  return execa('node', [runnerBin, ...args], { reject: false, env, stdin: 'ignore' });
}

export function toResult(exitCode: number, stdout: string, stderr: string): CliResult {
  const records = stdout.split('\n').flatMap((line) => {
    const record = decodeRecord(line);
    return record ? [record] : [];
  });
  return { exitCode, stdout, stderr, records };
}

export function events(result: CliResult): RunEvent[] {
  return result.records.filter(isRunEvent);
}

export function finished(result: CliResult): Extract<RunEvent, { type: 'run-finished' }> {
  const event = events(result).find((e) => e.type === 'run-finished');
  if (!event || event.type !== 'run-finished')
    throw new Error(`no run-finished event in:\n${result.stdout}\n${result.stderr}`);
  return event;
}

export function stepStatus(result: CliResult, step: string): string | undefined {
  const event = events(result).find((e) => e.type === 'step-finished' && e.step === step);
  return event?.type === 'step-finished' ? event.status : undefined;
}

/** A scratch directory with a spec written from an object; removed by cleanup(). */
export interface Workdir {
  dir: string;
  path(...parts: string[]): string;
  writeSpec(spec: Record<string, unknown>, name?: string): Promise<string>;
  cleanup(): Promise<void>;
}

export async function makeWorkdir(prefix = 'backup-yaml-run-'): Promise<Workdir> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return {
    dir,
    path: (...parts) => join(dir, ...parts),
    async writeSpec(spec, name = 'backup.yaml') {
      const file = join(dir, name);
      await writeFile(file, stringify(spec));
      return file;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** restic against a repository, for assertions on what a run stored. */
export async function restic(
  repository: string,
  passwordFile: string,
  args: string[],
): Promise<string> {
  const result = await execa('restic', args, {
    env: { RESTIC_REPOSITORY: repository, RESTIC_PASSWORD_FILE: passwordFile },
    stdin: 'ignore',
  });
  return String(result.stdout);
}

export interface SnapshotJson {
  id: string;
  short_id: string;
  paths: string[];
  tags?: string[];
  hostname: string;
  time: string;
}

export async function snapshots(repository: string, passwordFile: string): Promise<SnapshotJson[]> {
  return JSON.parse(
    await restic(repository, passwordFile, ['snapshots', '--json']),
  ) as SnapshotJson[];
}
