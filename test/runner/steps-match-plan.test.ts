import * as assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import type { PlanRecord, PlanStep, RunEvent } from '../../runner/src/protocol';
import { makeStack, shopSource } from '../support/demo-stack';
import type { CliResult, Workdir } from '../support/runner-cli';
import { events, makeWorkdir, runCli, startCli, toResult } from '../support/runner-cli';
import type { MariaDb, Postgres } from '../support/servers/index';
import { startMariaDb, startPostgres } from '../support/servers/index';

/**
 * The plan is the run: for a matrix of specs (each source type, archive on and off, one and two
 * targets, checks due and not due, hooks, a failure at each step that can fail, a cancel), the
 * steps a run announces in run-started are those `plan --json` prints for the same spec and
 * state, and the run then starts exactly those steps, in that order, each with its planned
 * title, each finished before the next starts.
 */
describe('every run takes exactly the steps of its plan', () => {
  let work: Workdir;
  let db: MariaDb;
  let pg: Postgres;
  let stack: Awaited<ReturnType<typeof makeStack>>;
  const repo = (name: string) => work.path(`repo-${name}`);
  let sqlitePath: string;
  let cases = 0;

  before(async () => {
    [work, db, pg] = await Promise.all([
      makeWorkdir('backup-yaml-plan-'),
      startMariaDb(),
      startPostgres(),
    ]);
    await pg.sql('CREATE DATABASE shop;');
    await pg.sql('CREATE TABLE items (id int PRIMARY KEY); INSERT INTO items VALUES (1);', 'shop');
    await pg.createUser('backup', 'pw-plan-pg');
    await pg.sql('GRANT pg_read_all_data TO backup;');
    await writeFile(work.path('postgres.pw'), 'pw-plan-pg\n', { mode: 0o600 });
    stack = await makeStack(work);
    await db.sql('CREATE DATABASE shop; CREATE TABLE shop.items (id INT PRIMARY KEY);');
    await db.sql('INSERT INTO shop.items SELECT seq FROM seq_1_to_100', 'shop');
    await db.createUser('backup', 'pw-plan-1', 'SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES');
    await writeFile(work.path('mysql.pw'), 'pw-plan-1\n', { mode: 0o600 });
    sqlitePath = work.path('app.db');
    await execa('sqlite3', [sqlitePath, 'CREATE TABLE t (x); INSERT INTO t VALUES (1), (2);']);
    for (const name of ['a', 'b', 'corrupt', 'unwritable']) {
      const init = await execa('restic', ['init'], {
        env: { RESTIC_REPOSITORY: repo(name), RESTIC_PASSWORD_FILE: stack.passwordFile },
        reject: false,
      });
      assert.equal(init.exitCode, 0, init.stderr);
    }
  });
  after(async () => {
    await pg?.stop();
    await db?.stop();
    await work?.cleanup();
  });

  const sources = {
    files: () => ({ config: { type: 'files', paths: [stack.app] } }),
    sqlite: () => ({ 'app-db': { type: 'sqlite', path: sqlitePath } }),
    mysql: () => ({
      shop: shopSource(db.port, { password_file: work.path('mysql.pw') }),
    }),
    postgres: () => ({
      ledger: {
        type: 'postgres',
        database: 'shop',
        host: '127.0.0.1',
        port: pg.port,
        user: 'backup',
        password_file: work.path('postgres.pw'),
      },
    }),
  };
  const target = (name: string) => ({
    repository: repo(name),
    password_file: stack.passwordFile,
  });
  const hooks = (marker: string) => ({
    before: [['true']],
    after: [['sh', '-c', `echo after > ${work.path(`${marker}.after`)}`]],
    on_failure: [['sh', '-c', 'echo "$BACKUP_STATUS $BACKUP_ERROR"']],
  });

  /** Writes the spec of one case into its own staging directory and checks plan against run. */
  async function planMatchesRun(
    name: string,
    spec: Record<string, unknown>,
    expect: { exitCode: number; failedStep?: string; arrange?: (staging: string) => Promise<void> },
    start: (specPath: string) => Promise<CliResult> = (path) =>
      runCli(['run', '-c', path, '--json']),
  ): Promise<RunEvent[]> {
    cases++;
    const staging = work.path(`staging-${name}`);
    await mkdir(staging, { recursive: true });
    await expect.arrange?.(staging);
    const path = await work.writeSpec(
      { version: 1, name, host: 'plan-host', staging: { dir: staging }, ...spec },
      `${name}.yaml`,
    );
    const planned = await runCli(['plan', '-c', path, '--json']);
    assert.equal(planned.exitCode, 0, planned.stderr);
    const plan = planned.records[0] as PlanRecord;
    const run = await start(path);
    assert.equal(run.exitCode, expect.exitCode, run.stdout.slice(-3000) + run.stderr);
    const all = events(run);
    const started = all[0];
    assert.ok(started?.type === 'run-started', 'the first event is run-started');
    const sameRun = (steps: PlanStep[]) =>
      JSON.parse(JSON.stringify(steps).replaceAll(plan.runId, started.runId)) as PlanStep[];
    assert.deepEqual(started.steps, sameRun(plan.steps), 'run-started.steps is the plan');

    const begun = all.filter((e) => e.type === 'step-started');
    assert.deepEqual(
      begun.map((e) => e.step),
      started.steps.map((s) => s.id),
      'the run starts every planned step (or announces it skipped), in order',
    );
    for (const event of begun) {
      const step: PlanStep | undefined = started.steps.find((s) => s.id === event.step);
      assert.equal(event.title, step?.title, `the title of ${event.step}`);
    }
    let open: string | undefined;
    for (const event of all) {
      if (event.type === 'step-started') {
        assert.equal(open, undefined, `${event.step} started while ${open ?? ''} ran`);
        open = event.step;
      } else if (event.type === 'step-finished') {
        assert.equal(event.step, open, `${event.step} finished without having started`);
        open = undefined;
      } else if (event.type === 'step-progress') assert.equal(event.step, open);
    }
    const failed = all.flatMap((e) =>
      e.type === 'step-finished' && (e.status === 'failed' || e.status === 'cancelled')
        ? [e.step]
        : [],
    );
    assert.deepEqual(failed, expect.failedStep ? [expect.failedStep] : []);
    return all;
  }

  const statusOf = (all: RunEvent[], step: string) =>
    all.flatMap((e) => (e.type === 'step-finished' && e.step === step ? [e.status] : []))[0];

  test('files, one target, nothing optional', async () => {
    await planMatchesRun(
      'files',
      { sources: sources.files(), targets: { a: target('a') } },
      {
        exitCode: 0,
      },
    );
  });

  test('sqlite, archive, two targets, retention, a check that is due, hooks', async () => {
    const all = await planMatchesRun(
      'sqlite-archive',
      {
        sources: sources.sqlite(),
        archive: { dir: work.path('archives-sqlite'), format: 'tar.zst' },
        targets: { a: target('a'), b: target('b') },
        retention: { keep_last: 3 },
        check: { every: '7d' },
        hooks: hooks('sqlite'),
      },
      { exitCode: 0 },
    );
    assert.equal(statusOf(all, 'check:a'), 'ok');
    assert.equal(statusOf(all, 'hook:on_failure[0]'), 'skipped');
  });

  test('mysql and files, a check that is not due (the state says it ran an hour ago)', async () => {
    const all = await planMatchesRun(
      'mysql-files',
      {
        sources: { ...sources.mysql(), ...sources.files() },
        targets: { a: target('a') },
        check: { every: '1d' },
        hooks: hooks('mysql'),
      },
      {
        exitCode: 0,
        arrange: (staging) =>
          writeFile(
            join(staging, 'backup-yaml.state.json'),
            JSON.stringify({
              stateVersion: 1,
              name: 'mysql-files',
              spec: '',
              lastCheck: {
                a: { at: new Date(Date.now() - 3_600_000).toISOString(), status: 'ok' },
              },
            }),
          ),
      },
    );
    assert.equal(statusOf(all, 'check:a'), 'skipped');
  });

  test('postgres and files, one target', async () => {
    await planMatchesRun(
      'postgres-files',
      {
        sources: { ...sources.postgres(), ...sources.files() },
        targets: { a: target('a') },
        hooks: hooks('postgres'),
      },
      { exitCode: 0 },
    );
  });

  test('a failure at the lock: another live run holds it', async () => {
    await planMatchesRun(
      'lock-held',
      { sources: sources.files(), targets: { a: target('a') }, hooks: hooks('lock') },
      {
        exitCode: 75,
        failedStep: 'lock',
        arrange: async (staging) => {
          const stat = await readFile('/proc/self/stat', 'utf8');
          const processStart = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
          const owner = { pid: process.pid, host: hostname(), runId: 'other', startedAt: 'now' };
          await writeFile(
            join(staging, 'backup-yaml.lock'),
            JSON.stringify({ ...owner, processStart }),
          );
        },
      },
    );
  });

  test('a failure at the preflight of the second target (no repository)', async () => {
    await planMatchesRun(
      'preflight',
      {
        sources: sources.files(),
        targets: { a: target('a'), missing: { ...target('a'), repository: repo('none') } },
        hooks: hooks('preflight'),
      },
      { exitCode: 1, failedStep: 'preflight:missing' },
    );
  });

  test('a failure in a before hook', async () => {
    await planMatchesRun(
      'hook-before',
      {
        sources: sources.files(),
        targets: { a: target('a') },
        hooks: { ...hooks('before'), before: [['sh', '-c', 'exit 4']] },
      },
      { exitCode: 1, failedStep: 'hook:before[0]' },
    );
  });

  test('a failure in a dump (of each source type)', async () => {
    await planMatchesRun(
      'dump-files',
      {
        sources: { ...sources.sqlite(), gone: { type: 'files', paths: [work.path('gone')] } },
        targets: { a: target('a') },
        hooks: hooks('dump'),
      },
      { exitCode: 1, failedStep: 'dump:gone' },
    );
    await planMatchesRun(
      'dump-mysql',
      {
        sources: { shop: { ...sources.mysql().shop, database: 'no_such_db' } },
        targets: { a: target('a') },
      },
      { exitCode: 1, failedStep: 'dump:shop' },
    );
    await planMatchesRun(
      'dump-postgres',
      {
        sources: { ledger: { ...sources.postgres().ledger, tables: ['no_such_table'] } },
        targets: { a: target('a') },
      },
      { exitCode: 1, failedStep: 'dump:ledger' },
    );
    await writeFile(work.path('not-a.db'), 'plain text, not a database');
    await planMatchesRun(
      'dump-sqlite',
      {
        sources: { db: { type: 'sqlite', path: work.path('not-a.db') } },
        targets: { a: target('a') },
      },
      { exitCode: 1, failedStep: 'dump:db' },
    );
  });

  test('a failure writing the archive', async () => {
    await writeFile(work.path('a-file'), '');
    await planMatchesRun(
      'archive-fails',
      {
        sources: sources.files(),
        archive: { dir: work.path('a-file', 'archives'), format: 'tar.gz' },
        targets: { a: target('a') },
        retention: { keep_last: 2 },
      },
      { exitCode: 1, failedStep: 'archive' },
    );
  });

  test('a failure of one backup: the other target is still backed up, no retention', async () => {
    // The repository opens (its config is sound) but its index cannot be read: backup fails.
    await writeFile(join(repo('unwritable'), 'index', 'ab'.repeat(32)), 'not an index');
    const all = await planMatchesRun(
      'backup-fails',
      {
        sources: sources.files(),
        targets: { broken: target('unwritable'), a: target('a') },
        retention: { keep_last: 2 },
        check: { every: '1s' },
      },
      { exitCode: 1, failedStep: 'backup:broken' },
    );
    assert.equal(statusOf(all, 'backup:a'), 'ok');
    assert.equal(statusOf(all, 'retention:a'), 'skipped');
  });

  test('a failure of retention: another restic holds a shared lock on the repository', async () => {
    // `restic backup --stdin` waiting for input holds a non-exclusive lock: backups go on,
    // forget --prune needs the repository to itself.
    const holder = execa('restic', ['backup', '--stdin', '--host', 'other'], {
      env: { RESTIC_REPOSITORY: repo('b'), RESTIC_PASSWORD_FILE: stack.passwordFile },
      stdin: 'pipe',
      reject: false,
    });
    try {
      await waitForLock(repo('b'));
      await planMatchesRun(
        'retention-fails',
        {
          sources: sources.files(),
          targets: { b: { ...target('b'), lock_wait: '1s' } },
          retention: { keep_last: 2 },
        },
        { exitCode: 1, failedStep: 'retention:b' },
      );
    } finally {
      holder.kill('SIGINT');
      await holder;
    }
  });

  test('a failure of a due check (a pack file is gone)', async () => {
    const seed = await work.writeSpec(
      {
        version: 1,
        name: 'seed',
        sources: sources.files(),
        staging: { dir: work.path('staging-seed') },
        targets: { c: target('corrupt') },
      },
      'seed.yaml',
    );
    assert.equal((await runCli(['run', '-c', seed])).exitCode, 0);
    const packs = join(repo('corrupt'), 'data');
    for (const dir of await readdir(packs)) {
      const [pack] = await readdir(join(packs, dir));
      if (pack) {
        await rm(join(packs, dir, pack));
        break;
      }
    }
    await planMatchesRun(
      'check-fails',
      { sources: sources.files(), targets: { c: target('corrupt') }, check: { every: '1d' } },
      { exitCode: 4, failedStep: 'check:c' },
    );
  });

  test('a failure in an after hook runs the on_failure hooks', async () => {
    const all = await planMatchesRun(
      'hook-after',
      {
        sources: sources.files(),
        targets: { a: target('a') },
        hooks: { ...hooks('after'), after: [['false']] },
      },
      { exitCode: 1, failedStep: 'hook:after[0]' },
    );
    assert.equal(statusOf(all, 'hook:on_failure[0]'), 'ok');
  });

  test('a run cancelled in a before hook', async () => {
    const all = await planMatchesRun(
      'cancelled',
      {
        sources: sources.files(),
        targets: { a: target('a') },
        hooks: { ...hooks('cancel'), before: [['sleep', '60']] },
      },
      { exitCode: 130, failedStep: 'hook:before[0]' },
      async (path) => {
        const child = startCli(['run', '-c', path, '--json']);
        let seen = '';
        let killed = false;
        child.stdout?.on('data', (chunk: Buffer) => {
          seen += chunk.toString();
          const hookStarted = seen
            .split('\n')
            .some(
              (line) =>
                line.includes('"type":"step-started"') && line.includes('"step":"hook:before[0]"'),
            );
          if (hookStarted && !killed) killed = child.kill('SIGTERM');
        });
        const result = await child;
        return toResult(result.exitCode ?? -1, String(result.stdout), String(result.stderr));
      },
    );
    assert.equal(statusOf(all, 'hook:on_failure[0]'), 'ok');
    assert.equal(statusOf(all, 'hook:before[0]'), 'cancelled');
  });

  test('the matrix covered every source type and each failing step', () => {
    assert.ok(cases >= 16, `${cases} cases`);
  });
});

async function waitForLock(repository: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await readdir(join(repository, 'locks')).catch(() => [])).length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no lock appeared in ${repository}`);
}
