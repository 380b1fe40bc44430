import * as assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { ContainerWatch } from '../support/docker/container-watch';
import { docker, dockerEnv, ownedName, removeOwned } from '../support/docker/engine';
import type { MariaDbContainer } from '../support/docker/mariadb-container';
import { startMariaDbContainer } from '../support/docker/mariadb-container';
import type { Workdir } from '../support/runner-cli';
import { finished, makeWorkdir, snapshots, startCli, toResult } from '../support/runner-cli';
import { SecretWatch } from '../support/secret-watch';
import { freePort } from '../support/servers/ports';

const ROOT_PASSWORD = 'root-Secret-4711';
const BACKUP_PASSWORD = 'backup-Secret-0815';
const TABLES = ['torrents', 'torrust_users', 'whitelist'];

// The Torrust tracker's tables, with enough rows that the dump runs long enough to be watched.
const schema = `
CREATE TABLE torrents (id INT PRIMARY KEY AUTO_INCREMENT, info_hash VARCHAR(40) NOT NULL UNIQUE,
  completed INT DEFAULT 0 NOT NULL, payload VARBINARY(512)) DEFAULT CHARSET=utf8mb4;
INSERT INTO torrents (info_hash, completed, payload)
  SELECT SHA1(seq), seq % 97, RANDOM_BYTES(512) FROM seq_1_to_30000;
CREATE TABLE torrust_users (id INT PRIMARY KEY, name VARCHAR(64) CHARSET utf8mb4);
INSERT INTO torrust_users SELECT seq, CONCAT('user ', seq, ' «ü» ☃') FROM seq_1_to_500;
CREATE TABLE whitelist (id INT PRIMARY KEY AUTO_INCREMENT, info_hash VARCHAR(40) NOT NULL UNIQUE);
INSERT INTO whitelist (info_hash) SELECT SHA1(-seq) FROM seq_1_to_50;
CREATE USER backup@'%' IDENTIFIED BY '${BACKUP_PASSWORD}';
GRANT SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES ON torrust_tracker.* TO backup@'%';
GRANT SELECT ON mysql.proc TO backup@'%';
`;

describe('MySQL source with container: (docker exec into a MariaDB container)', () => {
  let work: Workdir;
  let db: MariaDbContainer;
  let spec: string;
  const name = ownedName('mysql');
  const repository = () => work.path('repo');
  const resticPassword = () => work.path('restic.pw');

  const specFor = (source: Record<string, unknown>) => ({
    version: 1,
    name: 'torrust-mysql',
    host: 'test-host',
    sources: {
      'tracker-db': {
        type: 'mysql',
        container: name,
        database: 'torrust_tracker',
        user: 'backup',
        password_file: work.path('mysql-backup.pw'),
        ...source,
      },
    },
    staging: { dir: work.path('staging') },
    targets: { local: { repository: repository(), password_file: resticPassword() } },
  });
  const run = async (specFile: string) => {
    const child = startCli(['run', '-c', specFile, '--json'], dockerEnv());
    const result = await child;
    return {
      child,
      result: toResult(result.exitCode ?? -1, String(result.stdout), String(result.stderr)),
    };
  };

  before(async () => {
    work = await makeWorkdir('backup-yaml-docker-mysql-');
    await writeFile(work.path('mysql-backup.pw'), `${BACKUP_PASSWORD}\n`, { mode: 0o600 });
    await writeFile(resticPassword(), 'restic-pw\n', { mode: 0o600 });
    db = await startMariaDbContainer({
      name,
      port: await freePort(),
      dir: work.path('db'),
      rootPassword: ROOT_PASSWORD,
      database: 'torrust_tracker',
      initSql: schema,
    });
    spec = await work.writeSpec(specFor({}));
    const init = startCli(['init', '-c', spec], dockerEnv());
    assert.equal((await init).exitCode, 0);
  });
  after(async () => {
    await removeOwned([name]);
    await work.cleanup();
  });

  test('dumps through docker exec, restores with equal row counts and checksums, and the password shows nowhere', async () => {
    const id = (await docker(['inspect', '-f', '{{.Id}}', name])).stdout.trim();
    const inContainer = new ContainerWatch(id, [BACKUP_PASSWORD]);
    const child = startCli(['run', '-c', spec, '--json'], dockerEnv());
    const onHost = new SecretWatch([BACKUP_PASSWORD], () => child.pid);
    const done = await child;
    await Promise.all([inContainer.stop(), onHost.stop()]);
    const result = toResult(done.exitCode ?? -1, String(done.stdout), String(done.stderr));
    assert.equal(result.exitCode, 0, result.stdout + result.stderr);
    assert.ok(
      inContainer.programs.has('mariadb-dump'),
      `the watch saw the dump: ${[...inContainer.programs].join(', ')}`,
    );
    assert.deepEqual([...inContainer.leaks], []);
    assert.deepEqual([...onHost.leaks], []);
    const inspect = (await docker(['inspect', name])).stdout;
    assert.ok(!inspect.includes(BACKUP_PASSWORD) && !inspect.includes(ROOT_PASSWORD));
    assert.ok(!result.stdout.includes(BACKUP_PASSWORD));

    const restored = work.path('restored');
    const restore = startCli(
      ['restore', '-c', spec, '--source', 'tracker-db', '--to', restored],
      dockerEnv(),
    );
    assert.equal((await restore).exitCode, 0);
    const dump = await readFile(`${restored}/torrust_tracker.sql`, 'utf8');
    await db.sql('CREATE DATABASE scratch');
    await docker(['exec', '-i', name, 'mariadb', '-uroot', 'scratch'], { input: dump });
    for (const table of TABLES) {
      const count = `SELECT COUNT(*) FROM ${table}`;
      assert.equal(await db.sql(count, 'scratch'), await db.sql(count, 'torrust_tracker'), table);
      const checksum = async (database: string) =>
        (await db.sql(`CHECKSUM TABLE ${database}.${table} EXTENDED`)).split('\t')[1];
      assert.equal(await checksum('scratch'), await checksum('torrust_tracker'), table);
    }
  });

  test('a wrong password, a missing container and a stopped one each fail with their own code and no snapshot', async () => {
    const before = (await snapshots(repository(), resticPassword())).length;
    await writeFile(work.path('wrong.pw'), 'not-the-password\n', { mode: 0o600 });
    const wrong = await run(
      await work.writeSpec(specFor({ password_file: work.path('wrong.pw') }), 'wrong.yaml'),
    );
    assert.equal(wrong.result.exitCode, 1);
    assert.equal(finished(wrong.result).error?.code, 'mysql-auth');

    const missing = await run(
      await work.writeSpec(specFor({ container: ownedName('absent') }), 'missing.yaml'),
    );
    assert.equal(missing.result.exitCode, 1);
    assert.equal(finished(missing.result).error?.code, 'mysql-container-missing');

    await docker(['stop', '-t', '5', name]);
    const stopped = await run(spec);
    assert.equal(stopped.result.exitCode, 1);
    assert.equal(finished(stopped.result).error?.code, 'mysql-container-stopped');
    assert.equal((await snapshots(repository(), resticPassword())).length, before);
  });
});
