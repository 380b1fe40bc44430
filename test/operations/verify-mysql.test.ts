import * as assert from 'node:assert/strict';
import { readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { VerifyResultRecord, VerifySourceRecord } from '../../runner/src/protocol';
import { startChildSpy } from '../support/child-spy';
import type { MariaDb } from '../support/servers/index';
import { startMariaDb } from '../support/servers/index';
import { startCli, toResult } from '../support/runner-cli';
import type { OpsStack } from './support/ops-stack';
import { cli, handmadeSnapshot, makeOpsStack, record } from './support/ops-stack';

const BACKUP_PASSWORD = 'dump-S3cret-91ab';
const VERIFY_PASSWORD = 'verify-S3cret-5e0c';
const DUMP = 'tracker-db/torrust_tracker.sql';

describe('verify with MariaDB: the dump is loaded into a scratch database', () => {
  let stack: OpsStack;
  let db: MariaDb;
  /** With verify.mysql; and the same spec without it (trailer check only). */
  let withServer: string;
  let withoutServer: string;
  const env = { TEST_VERIFY_PASSWORD: VERIFY_PASSWORD };

  let realSnapshot: string;
  const drill = async (spec: string, args: string[], exitCode: number, environment = env) => {
    const result = await cli(['verify', '-c', spec, ...args], exitCode, environment);
    const sources = result.records.filter(
      (r): r is VerifySourceRecord => r.type === 'verify-source',
    );
    const db = sources.find((s) => s.source === 'tracker-db');
    assert.ok(db, result.stdout);
    return { done: record(result, 'verify') as VerifyResultRecord, db, result };
  };
  const leftovers = () => db.rows("SHOW DATABASES LIKE 'backup\\_yaml\\_verify\\_%'");

  before(async () => {
    [stack, db] = await Promise.all([makeOpsStack(), startMariaDb()]);
    await db.sql('CREATE DATABASE torrust_tracker');
    await db.sql(
      `CREATE TABLE torrents (id INT PRIMARY KEY AUTO_INCREMENT, info_hash BINARY(20), completed INT);
       INSERT INTO torrents (info_hash, completed) SELECT UNHEX(SHA1(seq)), seq FROM seq_1_to_2000;
       CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(40));
       INSERT INTO users SELECT seq, CONCAT('user', seq) FROM seq_1_to_10;`,
      'torrust_tracker',
    );
    await db.createUser(
      'backup',
      BACKUP_PASSWORD,
      'SELECT, SHOW VIEW, TRIGGER, LOCK TABLES, EVENT',
      'torrust_tracker.*',
    );
    await db.createUser(
      'verifier',
      VERIFY_PASSWORD,
      'ALL PRIVILEGES',
      '`backup\\_yaml\\_verify\\_%`.*',
    );
    const backupPasswordFile = stack.work.path('mysql-backup.pw');
    await writeFile(backupPasswordFile, `${BACKUP_PASSWORD}\n`, { mode: 0o600 });
    const sources = {
      'tracker-db': {
        type: 'mysql',
        database: 'torrust_tracker',
        host: db.host,
        port: db.port,
        user: 'backup',
        password_file: backupPasswordFile,
      },
      config: { type: 'files', paths: [stack.app] },
    };
    const server = {
      host: db.host,
      port: db.port,
      user: 'verifier',
      password: { env: 'TEST_VERIFY_PASSWORD' },
    };
    withServer = await stack.spec({ sources, verify: { mysql: server } });
    withoutServer = await stack.spec({ sources }, 'no-server.yaml');
    const run = record(await cli(['run', '-c', withServer], 0, env), 'run-finished');
    realSnapshot = run.snapshots[0]?.snapshotId ?? '';
  });
  after(async () => {
    await db?.stop();
    await stack?.cleanup();
  });

  test('a real dump loads: tables and rows counted, scratch database dropped, no secret anywhere', async () => {
    const spy = await startChildSpy();
    try {
      const child = startCli(['verify', '-c', withServer, '--json'], { ...env, ...spy.env });
      const exited = await child;
      const result = toResult(exited.exitCode ?? -1, String(exited.stdout), String(exited.stderr));
      assert.equal(result.exitCode, 0, result.stdout + result.stderr);
      const programs = (await spy.children(child.pid)).map((c) => c.program);
      assert.ok(programs.includes('mariadb') && programs.includes('restic'), programs.join());
      assert.deepEqual(
        await spy.leaks(child.pid, [VERIFY_PASSWORD, BACKUP_PASSWORD]),
        [],
        'no password in any argv or child environment',
      );
      await checkDrill(result);
    } finally {
      await spy.remove();
    }
  });

  async function checkDrill(result: ReturnType<typeof toResult>): Promise<void> {
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
        ['mysql-load', 'ok'],
      ],
    );
    assert.equal(tracker?.checks[2]?.detail, 'loaded into a scratch database: 2 tables, 2010 rows');
    assert.deepEqual(await leftovers(), []);
  }

  test('catches a truncated dump: by its missing trailer, with or without a server', async () => {
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
        ['mysql-load', 'skipped'],
      ],
    );
    assert.match(loaded.db.detail, /^dump-trailer: .*cut short/);
    const trailerOnly = await drill(withoutServer, [cut], 1);
    assert.equal(trailerOnly.db.checks[1]?.status, 'failed');
    assert.equal(trailerOnly.done.sources.find((s) => s.source === 'config')?.status, 'ok');
  });

  test('a dump with its trailer that does not load fails only where a server loads it', async () => {
    const broken = await handmadeSnapshot(stack, {
      sources: ['tracker-db', 'config'],
      edit: async (runDir) => {
        const path = join(runDir, DUMP);
        const text = await readFile(path, 'utf8');
        assert.ok(text.includes('INSERT INTO `torrents`'));
        await writeFile(
          path,
          text.replace('INSERT INTO `torrents`', 'INSERT INTO `torrents` VALUES VALUES'),
        );
      },
      rehash: true,
    });
    const loaded = await drill(withServer, [broken], 1);
    const load = loaded.db.checks.find((c) => c.name === 'mysql-load');
    assert.equal(load?.status, 'failed');
    assert.match(load?.detail ?? '', /loading the dump failed: ERROR 1064/);
    assert.deepEqual(await leftovers(), [], 'dropped after a failed load too');
    const trailerOnly = await drill(withoutServer, [broken], 0);
    assert.equal(trailerOnly.db.checks.find((c) => c.name === 'mysql-load')?.status, 'skipped');
  });

  test("a wrong verify password fails the load with the server's reason, and leaves nothing", async () => {
    const { done, db: tracker } = await drill(withServer, [realSnapshot], 1, {
      TEST_VERIFY_PASSWORD: 'not-the-password',
    });
    assert.equal(done.status, 'failed');
    const load = tracker.checks.find((c) => c.name === 'mysql-load');
    assert.match(
      load?.detail ?? '',
      /cannot create a scratch database: ERROR 1045 .*Access denied for user 'verifier'/,
    );
    assert.deepEqual(await leftovers(), []);
  });

  test('restore of a MySQL source gives the dump, which loads into a new database', async () => {
    const to = stack.work.path('restored-dump');
    const restored = record(
      await cli(['restore', '-c', withServer, realSnapshot, '--source', 'tracker-db', '--to', to]),
      'restore',
    );
    assert.deepEqual([restored.files, restored.verifiedFiles], [1, 1]);
    const dump = join(to, 'torrust_tracker.sql');
    assert.match(await readFile(dump, 'utf8'), /-- Dump completed on .*\n$/);
    await db.sql('CREATE DATABASE restored');
    await db.loadFile(dump, 'restored');
    assert.deepEqual(await db.rows('SELECT COUNT(*) FROM torrents', 'restored'), [['2000']]);
  });
});
