import * as assert from 'node:assert/strict';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { execa } from 'execa';
import { sourceTag, specTag } from '../../../runner/src/restic/commands';
import type { Manifest } from '../../../runner/src/staging/manifest';
import { buildManifest, readManifest } from '../../../runner/src/staging/manifest';
import type { CliResult, Workdir } from '../../support/runner-cli';
import { makeWorkdir, runCli } from '../../support/runner-cli';

export const SPEC_NAME = 'tracker';
export const HOST = 'tracker-host';

/**
 * A Torrust-like stack for restore and verify: config files, a live tracker database in WAL mode,
 * a restic repository (initialised) and a staging directory.
 */
export interface OpsStack {
  work: Workdir;
  app: string;
  /** The live SQLite database. */
  db: string;
  passwordFile: string;
  repository: string;
  staging: string;
  /** Writes a spec with config and tracker-db (or `extra.sources`) and returns its path. */
  spec(extra?: Record<string, unknown>, file?: string): Promise<string>;
  /** The same spec with the config source only: what `run` can back up today. */
  runSpec(): Promise<string>;
  /** restic with this stack's repository, for assertions and hand-made snapshots. */
  restic(args: string[]): Promise<string>;
  cleanup(): Promise<void>;
}

export async function makeOpsStack(): Promise<OpsStack> {
  const work = await makeWorkdir('backup-yaml-ops-');
  const app = work.path('opt', 'torrust');
  await mkdir(join(app, 'etc'), { recursive: true });
  await writeFile(join(app, '.env'), 'TRACKER_API_TOKEN=MyAccessToken\n', { mode: 0o600 });
  await writeFile(join(app, 'etc', 'tracker.toml'), '[core]\nlisten = "0.0.0.0:6969"\n');
  const db = work.path('var', 'lib', 'torrust', 'tracker.db');
  await mkdir(join(db, '..'), { recursive: true });
  const live = new Database(db);
  live.pragma('journal_mode = WAL');
  live.exec('CREATE TABLE torrents (id INTEGER PRIMARY KEY, info_hash BLOB, completed INTEGER)');
  live.exec('CREATE INDEX torrents_completed ON torrents (completed)');
  const insert = live.prepare(
    'INSERT INTO torrents (info_hash, completed) VALUES (randomblob(20), ?)',
  );
  live.transaction(() => {
    for (let i = 0; i < 3000; i++) insert.run(i);
  })();
  live.close();
  const passwordFile = work.path('restic.pw');
  await writeFile(passwordFile, 'correct horse battery staple\n', { mode: 0o600 });
  const repository = work.path('repo');
  const staging = work.path('staging');
  const env = { RESTIC_REPOSITORY: repository, RESTIC_PASSWORD_FILE: passwordFile };
  await execa('restic', ['init'], { env, stdin: 'ignore' });
  const spec = (extra: Record<string, unknown> = {}, file = 'backup.yaml') =>
    work.writeSpec(
      {
        version: 1,
        name: SPEC_NAME,
        host: HOST,
        sources: {
          'tracker-db': { type: 'sqlite', path: db },
          config: { type: 'files', paths: [app] },
        },
        staging: { dir: staging },
        targets: { local: { repository, password_file: passwordFile } },
        ...extra,
      },
      file,
    );
  return {
    work,
    app,
    db,
    passwordFile,
    repository,
    staging,
    spec,
    runSpec: () => spec({ sources: { config: { type: 'files', paths: [app] } } }, 'run.yaml'),
    restic: async (args) => String((await execa('restic', args, { env, stdin: 'ignore' })).stdout),
    cleanup: () => work.cleanup(),
  };
}

/** `backup-runner` with --json, asserting the exit status. */
export async function cli(
  args: string[],
  exitCode = 0,
  env: Record<string, string> = {},
): Promise<CliResult> {
  const result = await runCli([...args, '--json'], env);
  assert.equal(result.exitCode, exitCode, `${args.join(' ')}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

export function record<T extends CliResult['records'][number]['type']>(
  result: CliResult,
  type: T,
): Extract<CliResult['records'][number], { type: T }> {
  const found = result.records.find((r) => r.type === type);
  assert.ok(found, `no "${type}" record in:\n${result.stdout}\n${result.stderr}`);
  return found as Extract<CliResult['records'][number], { type: T }>;
}

export interface HandmadeRun {
  /** Sources to put in the snapshot (their directories must exist in the run). */
  sources: string[];
  /** Adds tracker-db: a self-contained copy of the live database, as the sqlite source stages it. */
  withSqlite?: boolean;
  /** Changes the staged files before the backup. */
  edit?: (runDir: string) => Promise<void>;
  /** Rehash the manifest after edit (a snapshot whose manifest agrees with its damaged content). */
  rehash?: boolean;
}

let runs = 0;

/**
 * A snapshot made exactly as `run` makes one (same tags, host, layout and manifest), from a copy
 * of the latest real run. Used for the SQLite source while it is not yet registered in the
 * runner, and to doctor snapshots (a file changed after hashing, a truncated dump) that a real
 * run would refuse to make. Returns the snapshot's id.
 */
export async function handmadeSnapshot(stack: OpsStack, plan: HandmadeRun): Promise<string> {
  const runDir = stack.work.path('handmade', String(++runs), 'current');
  await cp(join(stack.staging, 'current'), runDir, { recursive: true, preserveTimestamps: true });
  const real = await readManifest(runDir);
  assert.ok(real.ok, 'the real run left a manifest');
  let sources: Manifest['sources'] = real.value.sources;
  if (plan.withSqlite) {
    await mkdir(join(runDir, 'tracker-db'), { mode: 0o700 });
    const copy = join(runDir, 'tracker-db', 'tracker.db');
    const live = new Database(stack.db, { readonly: true });
    await live.backup(copy);
    live.close();
    const staged = new Database(copy);
    staged.pragma('journal_mode = DELETE');
    staged.close();
    sources = {
      ...sources,
      'tracker-db': {
        type: 'sqlite',
        metadata: { file: 'tracker.db', journalMode: 'wal', copyJournalMode: 'delete' },
      },
    };
  }
  const hash = () =>
    buildManifest(
      runDir,
      { runId: real.value.runId, name: SPEC_NAME, host: HOST, runnerVersion: 'test', sources },
      new AbortController().signal,
      () => undefined,
    );
  assert.ok((await hash()).ok);
  if (plan.edit) await plan.edit(runDir);
  if (plan.rehash) assert.ok((await hash()).ok);
  const tags = [specTag({ name: SPEC_NAME }), ...plan.sources.map(sourceTag)];
  const out = await stack.restic([
    'backup',
    '--json',
    '--host',
    HOST,
    ...tags.flatMap((tag) => ['--tag', tag]),
    ...plan.sources.map((source) => join(runDir, source)),
    join(runDir, 'manifest.json'),
  ]);
  const summary = out
    .split('\n')
    .map((line) => (line.startsWith('{') ? (JSON.parse(line) as Record<string, unknown>) : {}))
    .find((message) => message['message_type'] === 'summary');
  assert.ok(typeof summary?.['snapshot_id'] === 'string', out);
  return summary['snapshot_id'];
}

/** Rows in the torrents table of a database file. */
export function countTorrents(path: string): number {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return Number(db.prepare('SELECT COUNT(*) FROM torrents').pluck().get());
  } finally {
    db.close();
  }
}
