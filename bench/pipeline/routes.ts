import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import type { PeakRss } from './peak-rss';
import { watchPeakRss } from './peak-rss';

const runner = join(import.meta.dirname, '..', '..', 'runner', 'bin', 'backup-runner.cjs');

export interface Route {
  name: string;
  repository: string;
  /** One daily backup; returns seconds of wall time. */
  daily(): Promise<number>;
  /** The peak memory of the last daily(), when the route measures it. */
  lastPeak?: PeakRss;
}

function resticEnv(repository: string, passwordFile: string): Record<string, string> {
  return { RESTIC_REPOSITORY: repository, RESTIC_PASSWORD_FILE: passwordFile };
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

export async function initRepository(repository: string, passwordFile: string): Promise<void> {
  rmSync(repository, { recursive: true, force: true });
  await execa('restic', ['init'], { env: resticEnv(repository, passwordFile) });
}

/**
 * backup-runner run on a spec with the database as a sqlite source (integrity check included,
 * forget --prune included). keep_last, not keep_daily: the bench's "days" fall on one calendar
 * day, and keep_daily would forget the previous ones and shrink the repository.
 */
export function ourRoute(dir: string, database: string, passwordFile: string): Route {
  const repository = join(dir, 'repo-ours');
  const spec = join(dir, 'ours.backup.yaml');
  writeFileSync(
    spec,
    [
      'version: 1',
      'name: bench',
      'sources:',
      `  tracker-db: { type: sqlite, path: ${database}, integrity_check: auto }`,
      `staging: { dir: ${join(dir, 'staging-ours')} }`,
      'targets:',
      `  local: { repository: ${repository}, password_file: ${passwordFile} }`,
      'retention: { keep_last: 30 }',
      '',
    ].join('\n'),
  );
  const route: Route = {
    name: 'backup-runner run',
    repository,
    daily: () =>
      timed(async () => {
        const child = execa('node', [runner, 'run', '-c', spec]);
        const watch = watchPeakRss(child.pid ?? 0);
        try {
          await child;
        } finally {
          route.lastPeak = await watch.stop();
        }
      }),
  };
  return route;
}

/**
 * The seeds' daily script: .backup, integrity_check, tar czf, restic backup, forget --prune.
 * Its timestamped file names give every snapshot its own group, so forget keeps them all.
 */
export function seedsRoute(
  dir: string,
  database: string,
  passwordFile: string,
  lean = false,
): Route {
  const repository = join(dir, 'repo-seeds');
  const work = join(dir, 'seeds');
  return {
    name: 'seeds: .backup + tar czf + restic',
    repository,
    daily: () =>
      timed(async () => {
        rmSync(work, { recursive: true, force: true });
        mkdirSync(work);
        const name = `tracker_backup_${new Date().toISOString().replace(/[-:.]/g, '')}.db`;
        const env = resticEnv(repository, passwordFile);
        await execa('sqlite3', [database, `.backup ${join(work, name)}`]);
        const check = await execa('sqlite3', [join(work, name), 'PRAGMA integrity_check;']);
        if (String(check.stdout).trim() !== 'ok') throw new Error('integrity_check failed');
        await execa('tar', ['czf', join(work, `${name}.tar.gz`), '-C', work, name]);
        await execa('restic', ['backup', join(work, `${name}.tar.gz`)], { env });
        await execa('restic', ['forget', '--keep-daily', '7', '--prune'], { env });
        if (lean) rmSync(work, { recursive: true, force: true });
      }),
  };
}

/** The lower bound of our layout: a consistent copy handed to restic as it is. */
export function rawRoute(dir: string, database: string, passwordFile: string): Route {
  const repository = join(dir, 'repo-raw');
  const work = join(dir, 'raw');
  return {
    name: 'raw snapshot into restic',
    repository,
    daily: () =>
      timed(async () => {
        rmSync(work, { recursive: true, force: true });
        mkdirSync(work);
        await execa('sqlite3', [database, `.backup ${join(work, 'sqlite3.db')}`]);
        await execa('restic', ['backup', join(work, 'sqlite3.db')], {
          env: resticEnv(repository, passwordFile),
        });
      }),
  };
}

/** Bytes the repository holds on disk. */
export async function repositoryBytes(repository: string): Promise<number> {
  const result = await execa('du', ['-sb', repository]);
  return Number(String(result.stdout).split('\t')[0]);
}
