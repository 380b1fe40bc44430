import * as assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ContainerWatch } from '../support/docker/container-watch';
import {
  docker,
  dockerEnv,
  IMAGES,
  ownedName,
  removeOwned,
  waitContainerReady,
} from '../support/docker/engine';
import type { Workdir } from '../support/runner-cli';
import { finished, makeWorkdir, snapshots, startCli, toResult } from '../support/runner-cli';
import { SecretWatch } from '../support/secret-watch';
import { freePort } from '../support/servers/ports';

const SUPER_PASSWORD = 'pg-super-Secret-4711';
const BACKUP_PASSWORD = 'pg-backup-Secret-0815';
const TABLES = ['torrents', 'torrust_users', 'whitelist'];

// The Torrust tracker's tables, with enough rows that the dump runs long enough to be watched.
const schema = `
CREATE TABLE torrents (id serial PRIMARY KEY, info_hash varchar(40) NOT NULL UNIQUE,
  completed int DEFAULT 0 NOT NULL, payload bytea);
INSERT INTO torrents (info_hash, completed, payload)
  SELECT md5(g::text) || 'abcdefgh', g % 97, decode(repeat(md5(g::text), 16), 'hex')
  FROM generate_series(1, 30000) g;
CREATE TABLE torrust_users (id int PRIMARY KEY, name varchar(64));
INSERT INTO torrust_users SELECT g, 'user ' || g || ' «ü» ☃' FROM generate_series(1, 500) g;
CREATE TABLE whitelist (id serial PRIMARY KEY, info_hash varchar(40) NOT NULL UNIQUE);
INSERT INTO whitelist (info_hash) SELECT md5((-g)::text) FROM generate_series(1, 50) g;
CREATE ROLE backup LOGIN PASSWORD '${BACKUP_PASSWORD}';
GRANT pg_read_all_data TO backup;
`;

describe('postgres source with container: (docker exec into a PostgreSQL container)', () => {
  let work: Workdir;
  let spec: string;
  let port: number;
  const name = ownedName('postgres');
  const repository = () => work.path('repo');
  const resticPassword = () => work.path('restic.pw');
  /** SQL as the superuser over the container's own socket (trust inside the container). */
  const sql = async (statement: string, database = 'torrust_tracker') =>
    (
      await docker(
        [
          'exec',
          '-i',
          name,
          'psql',
          '-X',
          '-q',
          '-t',
          '-A',
          '-v',
          'ON_ERROR_STOP=1',
          '-p',
          String(port),
          '-U',
          'postgres',
          '-d',
          database,
        ],
        { input: statement },
      )
    ).stdout.trim();

  const specFor = (source: Record<string, unknown>) => ({
    version: 1,
    name: 'torrust-postgres',
    host: 'test-host',
    sources: {
      'tracker-db': {
        type: 'postgres',
        container: name,
        // Over TCP inside the container: the socket there trusts every local user.
        host: '127.0.0.1',
        port,
        database: 'torrust_tracker',
        user: 'backup',
        password_file: work.path('pg-backup.pw'),
        ...source,
      },
    },
    staging: { dir: work.path('staging') },
    targets: { local: { repository: repository(), password_file: resticPassword() } },
  });
  const run = async (specFile: string) => {
    const result = await startCli(['run', '-c', specFile, '--json'], dockerEnv());
    return toResult(result.exitCode ?? -1, String(result.stdout), String(result.stderr));
  };

  before(async () => {
    work = await makeWorkdir('backup-yaml-docker-postgres-');
    port = await freePort();
    await writeFile(work.path('pg-backup.pw'), `${BACKUP_PASSWORD}\n`, { mode: 0o600 });
    await writeFile(resticPassword(), 'restic-pw\n', { mode: 0o600 });
    const init = work.path('initdb');
    await mkdir(init, { recursive: true });
    await writeFile(join(init, '10-schema.sql'), schema, { mode: 0o644 });
    await writeFile(work.path('super.pw'), SUPER_PASSWORD, { mode: 0o644 });
    await docker([
      'run',
      '-d',
      '--name',
      name,
      '--network=host',
      '-e',
      'POSTGRES_PASSWORD_FILE=/run/secrets/postgres-super',
      '-e',
      'POSTGRES_DB=torrust_tracker',
      '-v',
      `${work.path('super.pw')}:/run/secrets/postgres-super:ro`,
      '-v',
      `${init}:/docker-entrypoint-initdb.d:ro`,
      IMAGES.postgres,
      '-c',
      `port=${port}`,
      '-c',
      'listen_addresses=127.0.0.1',
    ]);
    await waitReady(name, port);
    spec = await work.writeSpec(specFor({}));
    assert.equal((await startCli(['init', '-c', spec], dockerEnv())).exitCode, 0);
  });
  after(async () => {
    await removeOwned([name]);
    await work.cleanup();
  });

  test('dumps through docker exec, restores with equal rows, and the password shows nowhere', async () => {
    const id = (await docker(['inspect', '-f', '{{.Id}}', name])).stdout.trim();
    const inContainer = new ContainerWatch(id, [BACKUP_PASSWORD]);
    const child = startCli(['run', '-c', spec, '--json'], dockerEnv());
    const onHost = new SecretWatch([BACKUP_PASSWORD], () => child.pid);
    const done = await child;
    await Promise.all([inContainer.stop(), onHost.stop()]);
    const result = toResult(done.exitCode ?? -1, String(done.stdout), String(done.stderr));
    assert.equal(result.exitCode, 0, result.stdout + result.stderr);
    assert.ok(
      inContainer.programs.has('pg_dump'),
      `the watch saw the dump: ${[...inContainer.programs].join(', ')}`,
    );
    assert.deepEqual([...inContainer.leaks], []);
    assert.deepEqual([...onHost.leaks], []);
    const inspect = (await docker(['inspect', name])).stdout;
    assert.ok(!inspect.includes(BACKUP_PASSWORD) && !inspect.includes(SUPER_PASSWORD));
    assert.ok(!result.stdout.includes(BACKUP_PASSWORD));
    const leftover = await docker(['exec', name, 'sh', '-c', 'ls /tmp']);
    assert.equal(leftover.stdout.trim(), '', 'the pgpass file in the container is gone');

    const restored = work.path('restored');
    const restore = startCli(
      ['restore', '-c', spec, '--source', 'tracker-db', '--to', restored],
      dockerEnv(),
    );
    assert.equal((await restore).exitCode, 0);
    const dump = await readFile(`${restored}/torrust_tracker.sql`, 'utf8');
    await sql('CREATE DATABASE scratch;', 'postgres');
    await sql(dump, 'scratch');
    for (const table of TABLES) {
      const fingerprint = `SELECT count(*), md5(string_agg(t::text, '|' ORDER BY t::text)) FROM ${table} t`;
      assert.equal(await sql(fingerprint, 'scratch'), await sql(fingerprint), table);
    }
  });

  test('a wrong password, a missing container and a stopped one each fail with their own code and no snapshot', async () => {
    const before = (await snapshots(repository(), resticPassword())).length;
    await writeFile(work.path('wrong.pw'), 'not-the-password\n', { mode: 0o600 });
    const wrong = await run(
      await work.writeSpec(specFor({ password_file: work.path('wrong.pw') }), 'wrong.yaml'),
    );
    assert.equal(wrong.exitCode, 1);
    assert.equal(finished(wrong).error?.code, 'postgres-auth');

    const missing = await run(
      await work.writeSpec(specFor({ container: ownedName('absent') }), 'missing.yaml'),
    );
    assert.equal(missing.exitCode, 1);
    assert.equal(finished(missing).error?.code, 'postgres-container-missing');

    await docker(['stop', '-t', '5', name]);
    const stopped = await run(spec);
    assert.equal(stopped.exitCode, 1);
    assert.equal(finished(stopped).error?.code, 'postgres-container-stopped');
    assert.equal((await snapshots(repository(), resticPassword())).length, before);
  });
});

/** Waits until the final server answers on TCP (the first start's temporary one does not listen). */
async function waitReady(name: string, port: number): Promise<void> {
  await waitContainerReady(name, ['pg_isready', '-q', '-h', '127.0.0.1', '-p', String(port)]);
}
