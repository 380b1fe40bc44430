import * as assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { ChildSpy } from '../support/child-spy';
import { startChildSpy } from '../support/child-spy';
import { makeStack, shopSource } from '../support/demo-stack';
import type { Workdir } from '../support/runner-cli';
import { makeWorkdir, startCli, toResult } from '../support/runner-cli';
import type { MariaDb } from '../support/servers/index';
import { startMariaDb } from '../support/servers/index';

const SECRETS = {
  T_RESTIC_PASSWORD: 'restic-env-S3cret-1f2e',
  T_MYSQL_PASSWORD: 'mysql-env-S3cret-3d4c',
  T_VERIFY_PASSWORD: 'verify-env-S3cret-5b6a',
  T_PING_URL: '',
};

/**
 * Issue 10, item 8: every child of every command (restic, its `restic version` probe, the dump
 * and client tools, zstd, mkfifo, cp, the SQLite child, hooks) starts without any variable the
 * spec reads a secret from. Each child's argv and environment is recorded as the child got it.
 */
describe('no secret reaches the environment or argv of any child of any command', () => {
  let work: Workdir;
  let db: MariaDb;
  let spy: ChildSpy;
  let spec: string;
  let pings = 0;
  const server = createServer((request, response) => {
    pings++;
    request.resume();
    response.end('OK');
  });

  before(async () => {
    [work, db, spy] = await Promise.all([
      makeWorkdir('backup-yaml-env-'),
      startMariaDb(),
      startChildSpy(),
    ]);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    SECRETS.T_PING_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ping-S3cret-7e8f`;
    const stack = await makeStack(work);
    await db.sql(
      'CREATE DATABASE shop; CREATE TABLE shop.items (id INT PRIMARY KEY); INSERT INTO shop.items VALUES (1), (2);',
    );
    await db.createUser(
      'backup',
      SECRETS.T_MYSQL_PASSWORD,
      'SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES',
    );
    await db.createUser(
      'verifier',
      SECRETS.T_VERIFY_PASSWORD,
      'ALL PRIVILEGES',
      '`backup\\_yaml\\_verify\\_%`.*',
    );
    const database = work.path('app.db');
    await import('execa').then(({ execa }) =>
      execa('sqlite3', [database, 'CREATE TABLE t (x); INSERT INTO t VALUES (1);']),
    );
    spec = await work.writeSpec({
      version: 1,
      name: 'env',
      sources: {
        shop: shopSource(db.port, { password: { env: 'T_MYSQL_PASSWORD' } }),
        app: { type: 'sqlite', path: database },
        config: { type: 'files', paths: [stack.app] },
      },
      staging: { dir: stack.staging },
      archive: { dir: work.path('archives'), format: 'tar.zst' },
      targets: { local: { repository: stack.repository, password: { env: 'T_RESTIC_PASSWORD' } } },
      check: { every: '1s' },
      verify: {
        mysql: {
          host: '127.0.0.1',
          port: db.port,
          user: 'verifier',
          password: { env: 'T_VERIFY_PASSWORD' },
        },
      },
      hooks: { before: [['sh', '-c', 'echo stopping']], after: [['sh', '-c', 'echo started']] },
      notify: { healthchecks: { env: 'T_PING_URL' } },
    });
  });
  after(async () => {
    server.close();
    await spy?.remove();
    await db?.stop();
    await work?.cleanup();
  });

  const commands: [string[], string[]][] = [
    [['init'], ['restic']],
    [['run'], ['restic', 'mariadb-dump', 'zstd', 'mkfifo', 'sh', 'cp', 'node']],
    [['snapshots'], ['restic']],
    [['ls', 'latest'], ['restic']],
    [['cat', 'latest', 'APP_DB'], ['restic']],
    [['restore', '--to', 'RESTORE_DIR'], ['restic']],
    [['verify'], ['restic', 'mariadb', 'node']],
    [['check'], ['restic']],
    [['plan'], []],
    [['status'], []],
  ];
  for (const [args, expected] of commands) {
    test(`${args[0] ?? ''}: its children got no secret`, async () => {
      await spy.clear();
      const argv = args.map((arg) =>
        arg === 'RESTORE_DIR'
          ? work.path(`restored-${Date.now()}`)
          : arg === 'APP_DB'
            ? 'app/app.db'
            : arg,
      );
      const child = startCli([...argv, '-c', spec, '--json'], { ...SECRETS, ...spy.env });
      const exited = await child;
      const result = toResult(exited.exitCode ?? -1, String(exited.stdout), String(exited.stderr));
      assert.equal(result.exitCode, 0, result.stdout.slice(-3000) + result.stderr);
      const started = new Set((await spy.children(child.pid)).map((c) => c.program));
      for (const program of expected)
        assert.ok(started.has(program), `${program} ran (${[...started].join(', ')})`);
      assert.deepEqual(await spy.leaks(child.pid, Object.values(SECRETS)), []);
      for (const secret of Object.values(SECRETS))
        assert.ok(!result.stdout.includes(secret) && !result.stderr.includes(secret));
    });
  }

  test('the ping URL worked (it is a secret, read by the runner itself)', () => {
    assert.ok(pings >= 2, `${pings} pings`);
  });
});
