import * as assert from 'node:assert/strict';
import { readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { VerifyResultRecord, VerifySourceRecord } from '../../runner/src/protocol';
import { cli, handmadeSnapshot, makeOpsStack, record } from '../operations/support/ops-stack';
import type { OpsStack } from '../operations/support/ops-stack';
import { startChildSpy } from '../support/child-spy';
import { startCli, toResult } from '../support/runner-cli';
import type { Postgres } from '../support/servers/postgres';
import { baseTables, startTrackerDatabase, tableFingerprints } from './helpers';

const BACKUP_PASSWORD = 'pg-dump-S3cret-77c1';
const VERIFY_PASSWORD = 'pg-verify-S3cret-02d9';
const DUMP = 'tracker-db/tracker.sql';

describe('a postgres source end to end: run, restore, verify (the drill loads the dump)', () => {
  let stack: OpsStack;
  let pg: Postgres;
  let withServer: string;
  let withoutServer: string;
  let realSnapshot: string;
  const env = { TEST_VERIFY_PASSWORD: VERIFY_PASSWORD };

  const drill = async (spec: string, args: string[], exitCode: number, environment = env) => {
    const result = await cli(['verify', '-c', spec, ...args], exitCode, environment);
    const sources = result.records.filter(
      (r): r is VerifySourceRecord => r.type === 'verify-source',
    );
    const db = sources.find((s) => s.source === 'tracker-db');
    assert.ok(db, result.stdout);
    return { done: record(result, 'verify') as VerifyResultRecord, db, result };
  };
  const leftovers = () =>
    pg.rows("SELECT datname FROM pg_database WHERE datname LIKE 'backup\\_yaml\\_verify\\_%'");

  before(async () => {
    [stack, pg] = await Promise.all([makeOpsStack(), startTrackerDatabase(BACKUP_PASSWORD)]);
    await pg.sql(`CREATE ROLE verifier LOGIN CREATEDB PASSWORD '${VERIFY_PASSWORD}';`);
    const backupPasswordFile = stack.work.path('pg-backup.pw');
    await writeFile(backupPasswordFile, `${BACKUP_PASSWORD}\n`, { mode: 0o600 });
    const sources = {
      'tracker-db': {
        type: 'postgres',
        database: 'tracker',
        host: pg.host,
        port: pg.port,
        user: 'backup',
        password_file: backupPasswordFile,
      },
      config: { type: 'files', paths: [stack.app] },
    };
    const server = {
      host: pg.host,
      port: pg.port,
      user: 'verifier',
      password: { env: 'TEST_VERIFY_PASSWORD' },
    };
    withServer = await stack.spec({ sources, verify: { postgres: server } });
    withoutServer = await stack.spec({ sources }, 'no-server.yaml');
    const run = record(await cli(['run', '-c', withServer], 0, env), 'run-finished');
    realSnapshot = run.snapshots[0]?.snapshotId ?? '';
    assert.ok(realSnapshot);
  });
  after(async () => {
    await pg?.stop();
    await stack?.cleanup();
  });

  test('the plan shows pg_dump with its arguments and where the password comes from, never it', async () => {
    const plan = await cli(['plan', '-c', withServer, '--json'], 0, env);
    const text = plan.stdout;
    assert.match(text, /dump postgres source \\"tracker-db\\"/);
    assert.match(text, /"pg_dump","--host=127\.0\.0\.1",/);
    assert.match(text, /PGPASSFILE=<private 0600 pgpass file, password from file /);
    assert.ok(!text.includes(BACKUP_PASSWORD));
  });

  test('verify loads the dump: tables and rows counted, scratch database dropped, no secret anywhere', async () => {
    const spy = await startChildSpy();
    try {
      const child = startCli(['verify', '-c', withServer, '--json'], { ...env, ...spy.env });
      const exited = await child;
      const result = toResult(exited.exitCode ?? -1, String(exited.stdout), String(exited.stderr));
      assert.equal(result.exitCode, 0, result.stdout + result.stderr);
      const programs = (await spy.children(child.pid)).map((c) => c.program);
      assert.ok(programs.includes('psql') && programs.includes('restic'), programs.join());
      assert.deepEqual(
        await spy.leaks(child.pid, [VERIFY_PASSWORD, BACKUP_PASSWORD]),
        [],
        'no password in any argv or child environment',
      );
      for (const secret of [VERIFY_PASSWORD, BACKUP_PASSWORD])
        assert.ok(!result.stdout.includes(secret) && !result.stderr.includes(secret));
      const tracker = result.records.find(
        (r): r is VerifySourceRecord => r.type === 'verify-source' && r.source === 'tracker-db',
      );
      assert.deepEqual(
        tracker?.checks.map((c) => [c.name, c.status]),
        [
          ['sha256', 'ok'],
          ['dump-trailer', 'ok'],
          ['postgres-load', 'ok'],
        ],
      );
      assert.equal(
        tracker?.checks[2]?.detail,
        'loaded into a scratch database: 4 tables, 5502 rows',
      );
      assert.deepEqual(await leftovers(), []);
    } finally {
      await spy.remove();
    }
  });

  test('a run also records pg_dump among its children, with no password in argv or env', async () => {
    const spy = await startChildSpy();
    try {
      const child = startCli(['run', '-c', withServer, '--json'], { ...env, ...spy.env });
      const exited = await child;
      assert.equal(exited.exitCode, 0, String(exited.stdout) + String(exited.stderr));
      const dumps = (await spy.children(child.pid)).filter(
        (c) => c.program === 'pg_dump' && c.argv.includes('--dbname=tracker'),
      );
      assert.equal(dumps.length, 1, 'pg_dump ran once');
      assert.equal(dumps[0]?.env['PGPASSWORD'], '');
      assert.match(dumps[0]?.env['PGPASSFILE'] ?? '', /\/backup-runner-pgpass-[^/]+\/pgpass$/);
      assert.deepEqual(await spy.leaks(child.pid, [VERIFY_PASSWORD, BACKUP_PASSWORD]), []);
    } finally {
      await spy.remove();
    }
  });

  test('the drill catches a cut dump by its end, with or without a server', async () => {
    const cut = await handmadeSnapshot(stack, {
      sources: ['tracker-db', 'config'],
      edit: async (runDir) => {
        const path = join(runDir, DUMP);
        await truncate(path, Math.floor((await readFile(path)).length * 0.6));
      },
      rehash: true,
    });
    const loaded = await drill(withServer, [cut], 1);
    assert.equal(loaded.done.status, 'failed');
    assert.deepEqual(
      loaded.db.checks.map((c) => [c.name, c.status]),
      [
        ['sha256', 'ok'],
        ['dump-trailer', 'failed'],
        ['postgres-load', 'skipped'],
      ],
    );
    assert.match(loaded.db.detail, /^dump-trailer: the dump is incomplete/);
    const trailerOnly = await drill(withoutServer, [cut], 1);
    assert.equal(trailerOnly.db.checks[1]?.status, 'failed');
  });

  test('a corrupt dump that still ends well fails the load (ON_ERROR_STOP) and leaves nothing', async () => {
    const broken = await handmadeSnapshot(stack, {
      sources: ['tracker-db', 'config'],
      edit: async (runDir) => {
        const path = join(runDir, DUMP);
        const text = await readFile(path, 'utf8');
        assert.ok(text.includes('CREATE TABLE public.users'));
        // One damaged statement in the middle; everything after it is fine.
        await writeFile(
          path,
          text.replace('CREATE TABLE public.users', 'CREATE TABEL public.users'),
        );
      },
      rehash: true,
    });
    const loaded = await drill(withServer, [broken], 1);
    const load = loaded.db.checks.find((c) => c.name === 'postgres-load');
    assert.equal(load?.status, 'failed');
    assert.match(load?.detail ?? '', /loading the dump failed: .*syntax error at or near "TABEL"/);
    assert.deepEqual(await leftovers(), [], 'dropped after a failed load too');
    const trailerOnly = await drill(withoutServer, [broken], 0);
    assert.equal(trailerOnly.db.checks.find((c) => c.name === 'postgres-load')?.status, 'skipped');
  });

  test("a wrong verify password fails the load with the server's reason", async () => {
    const { done, db } = await drill(withServer, [realSnapshot], 1, {
      TEST_VERIFY_PASSWORD: 'not-the-password',
    });
    assert.equal(done.status, 'failed');
    const load = db.checks.find((c) => c.name === 'postgres-load');
    assert.match(
      load?.detail ?? '',
      /cannot create a scratch database: .*password authentication failed for user "verifier"/,
    );
    assert.deepEqual(await leftovers(), []);
  });

  test('restore --source gives the dump, which loads into a new database with the same rows', async () => {
    const to = stack.work.path('restored-dump');
    const restored = record(
      await cli(['restore', '-c', withServer, realSnapshot, '--source', 'tracker-db', '--to', to]),
      'restore',
    );
    assert.deepEqual([restored.files, restored.verifiedFiles], [1, 1]);
    const dump = await readFile(join(to, 'tracker.sql'), 'utf8');
    assert.match(dump, /-- PostgreSQL database dump complete\n--\n\n(\\unrestrict \S+\n\n)?$/);
    await pg.sql('CREATE DATABASE restored;');
    await pg.sql(dump, 'restored');
    assert.deepEqual(
      await tableFingerprints(pg, 'restored', baseTables),
      await tableFingerprints(pg, 'tracker', baseTables),
    );
  });
});
