import * as assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { makeStack } from '../support/demo-stack';
import { startChildSpy } from '../support/child-spy';
import type { MariaDb } from '../support/servers/index';
import { startMariaDb } from '../support/servers/index';
import type { Workdir } from '../support/runner-cli';
import {
  finished,
  makeWorkdir,
  restic,
  runCli,
  snapshots,
  startCli,
  stepStatus,
  toResult,
} from '../support/runner-cli';

const MYSQL_PASSWORD = 'mysql-S3cret-4f9a';
const RESTIC_PASSWORD = 'restic-S3cret-7c21';

describe('a run with MariaDB, files and restic', () => {
  let work: Workdir;
  let db: MariaDb;
  let stack: Awaited<ReturnType<typeof makeStack>>;
  let spec: (password: string) => Promise<string>;

  before(async () => {
    [work, db] = await Promise.all([makeWorkdir(), startMariaDb()]);
    stack = await makeStack(work);
    await db.sql('CREATE DATABASE torrust_tracker');
    await db.sql(
      `CREATE TABLE torrust_tracker.torrents (id INT PRIMARY KEY AUTO_INCREMENT, info_hash BINARY(20), completed INT);
      INSERT INTO torrust_tracker.torrents (info_hash, completed) SELECT UNHEX(SHA1(seq)), seq FROM seq_1_to_5000;`,
      'torrust_tracker',
    );
    await db.createUser(
      'backup',
      MYSQL_PASSWORD,
      'SELECT, SHOW VIEW, TRIGGER, LOCK TABLES, EVENT',
      'torrust_tracker.*',
    );
    await writeFile(stack.passwordFile, `${RESTIC_PASSWORD}\n`);
    spec = async (passwordFileContent: string) => {
      const mysqlPasswordFile = work.path('mysql.pw');
      await writeFile(mysqlPasswordFile, `${passwordFileContent}\n`, { mode: 0o600 });
      return work.writeSpec({
        version: 1,
        name: 'tracker',
        sources: {
          'tracker-db': {
            type: 'mysql',
            database: 'torrust_tracker',
            host: '127.0.0.1',
            port: db.port,
            user: 'backup',
            password_file: mysqlPasswordFile,
          },
          config: { type: 'files', paths: [stack.app] },
        },
        staging: { dir: stack.staging },
        targets: {
          local: { repository: stack.repository, password: { env: 'TEST_RESTIC_PASSWORD' } },
        },
        retention: { keep_last: 1 },
      });
    };
    const init = await runCli(['init', '-c', await spec(MYSQL_PASSWORD)], {
      TEST_RESTIC_PASSWORD: RESTIC_PASSWORD,
    });
    assert.equal(init.exitCode, 0, init.stderr);
  });
  after(async () => {
    await db?.stop();
    await work?.cleanup();
  });

  test('the dump lands in the snapshot and no secret shows in any argv, child environment, log or event', async () => {
    const file = await spec(MYSQL_PASSWORD);
    // Every child is recorded as it starts (not sampled): what it proves does not depend on
    // how fast the machine is.
    const spy = await startChildSpy();
    let result: ReturnType<typeof toResult>;
    try {
      const child = startCli(['run', '-c', file, '--json'], {
        TEST_RESTIC_PASSWORD: RESTIC_PASSWORD,
        ...spy.env,
      });
      const done = await child;
      result = toResult(done.exitCode ?? -1, String(done.stdout), String(done.stderr));
      assert.equal(result.exitCode, 0, result.stdout.slice(-2000));
      const programs = (await spy.children(child.pid)).map((c) => c.program);
      assert.ok(programs.includes('mariadb-dump') && programs.includes('restic'), programs.join());
      assert.deepEqual(await spy.leaks(child.pid, [MYSQL_PASSWORD, RESTIC_PASSWORD]), []);
    } finally {
      await spy.remove();
    }
    for (const secret of [MYSQL_PASSWORD, RESTIC_PASSWORD]) {
      assert.ok(
        !result.stdout.includes(secret) && !result.stderr.includes(secret),
        'no secret in events or log',
      );
    }
    const dump = await restic(stack.repository, stack.passwordFile, [
      'dump',
      'latest',
      `${stack.staging}/current/tracker-db/torrust_tracker.sql`,
    ]);
    assert.match(dump, /CREATE TABLE `torrents`/);
    assert.match(dump, /-- Dump completed/);
    const human = await runCli(['plan', '-c', file]);
    assert.ok(
      !human.stdout.includes(MYSQL_PASSWORD) && !human.stdout.includes(RESTIC_PASSWORD),
      'no secret in the plan',
    );
  });

  test('a failing dump (wrong password): non-zero exit, no snapshot, no retention, previous snapshots intact', async () => {
    const before = await snapshots(stack.repository, stack.passwordFile);
    assert.equal(before.length, 1);
    const result = await runCli(['run', '-c', await spec('not-the-password'), '--json'], {
      TEST_RESTIC_PASSWORD: RESTIC_PASSWORD,
    });
    assert.equal(result.exitCode, 1);
    assert.equal(finished(result).error?.code, 'mysql-auth');
    assert.match(finished(result).error?.detail ?? '', /Access denied/);
    assert.equal(stepStatus(result, 'dump:tracker-db'), 'failed');
    assert.equal(stepStatus(result, 'backup:local'), 'skipped');
    assert.equal(stepStatus(result, 'retention:local'), 'skipped');
    assert.deepEqual(await snapshots(stack.repository, stack.passwordFile), before);
  });
});
