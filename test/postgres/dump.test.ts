import * as assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { PostgresSource } from '../../runner/src/spec/types';
import type { Postgres } from '../support/servers/postgres';
import {
  baseTables,
  listDir,
  runDump,
  startTrackerDatabase,
  tableFingerprints,
  trackerSource,
  writeSecretFile,
} from './helpers';

// A colon and a backslash (escaped in the pgpass line), quotes, a comment sign and spaces.
const password = `Tr"ack:er 'pw' \\ #${process.pid}`;

describe('dumpPostgres against a real PostgreSQL', () => {
  let pg: Postgres;
  let source: PostgresSource;
  before(async () => {
    pg = await startTrackerDatabase(password);
    source = trackerSource(pg, await writeSecretFile(password));
  });
  after(() => pg.stop());

  test('the dump loads into a new database with the same rows, view and trigger', async () => {
    const { result, outDir, progress, warnings } = await runDump(source);
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(await listDir(outDir), ['tracker.sql'], 'one file with a stable name');
    const file = join(outDir, 'tracker.sql');
    assert.equal((await stat(file)).mode & 0o777, 0o600);

    await pg.sql('CREATE DATABASE restored;');
    const sql = await readFile(file, 'utf8');
    await pg.sql(sql, 'restored');
    const original = await tableFingerprints(pg, 'tracker', baseTables);
    assert.deepEqual(await tableFingerprints(pg, 'restored', baseTables), original);
    assert.equal(original['public.torrents']?.rows, '3000');
    assert.deepEqual(await pg.rows('SELECT count(*) FROM popular', 'restored'), [['2000']]);
    assert.deepEqual(
      await pg.rows("SELECT tgname FROM pg_trigger WHERE tgname = 'count_download'", 'restored'),
      [['count_download']],
    );

    const { metadata, empty } = result.value;
    assert.equal(empty, undefined);
    assert.deepEqual([...(metadata.tables as string[])].sort(), baseTables);
    assert.equal(metadata.format, 'plain');
    assert.equal(metadata.trailer, '-- PostgreSQL database dump complete');
    assert.match(String(metadata.serverVersion), new RegExp(`^${pg.version.replace('.', '\\.')}`));
    assert.match(String(metadata.toolVersion), /^pg_dump \(PostgreSQL\) \d+/);
    assert.equal(metadata.bytes, (await stat(file)).size);
    assert.ok(!/OWNER TO|GRANT /.test(sql), 'no owners or grants: it loads as any role');
    assert.ok(
      progress.some((p) => p.detail === 'table public.torrents'),
      'progress names the tables',
    );
    assert.deepEqual(warnings, []);
  });

  test('a second dump of unchanged data differs only in its timestamps and restrict key', async () => {
    const first = await runDump(source);
    const second = await runDump(source);
    assert.ok(first.result.ok && second.result.ok);
    const read = async (dir: string) =>
      (await readFile(join(dir, 'tracker.sql'), 'utf8'))
        .replace(/^-- (Started|Completed) on .*$/gm, '')
        .replace(/^\\(un)?restrict \S+$/gm, '');
    // What restic deduplicates: the same bytes in the same order, run after run.
    assert.equal(await read(first.outDir), await read(second.outDir));
  });

  test('tables: only those tables, names taken literally', async () => {
    await pg.sql('CREATE TABLE "odd*name" (id int); INSERT INTO "odd*name" VALUES (7);', 'tracker');
    await pg.sql('CREATE TABLE "oddXname" (id int);', 'tracker');
    const { result, outDir } = await runDump({ ...source, tables: ['users', 'odd*name'] });
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(
      [...(result.value.metadata.tables as string[])].sort(),
      ['public.odd*name', 'public.users'],
      'the * is no wildcard: oddXname is not dumped',
    );
    const sql = await readFile(join(outDir, 'tracker.sql'), 'utf8');
    assert.ok(sql.includes('CREATE TABLE public.users'));
    assert.ok(!sql.includes('CREATE TABLE public.torrents'));
    assert.ok(!sql.includes('oddXname'));
  });

  test("a schema-qualified table name dumps that schema's table", async () => {
    await pg.sql(
      'CREATE SCHEMA audit; CREATE TABLE audit.log (id int); INSERT INTO audit.log VALUES (1);',
      'tracker',
    );
    const { result } = await runDump({ ...source, tables: ['audit.log'] });
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(result.value.metadata.tables, ['audit.log']);
  });

  test('a database name with "=" stays a name (libpq would take it for a connection string)', async () => {
    await pg.sql('CREATE DATABASE "odd=name";');
    await pg.sql('CREATE TABLE t (id int); INSERT INTO t VALUES (1);', 'odd=name');
    const { result, outDir } = await runDump({ ...source, database: 'odd=name' });
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(result.value.metadata.tables, ['public.t']);
    assert.deepEqual(await listDir(outDir), ['odd=name.sql']);
  });

  test('a database without tables is reported empty (the engine fails the run on it)', async () => {
    await pg.sql('CREATE DATABASE vacant;');
    const { result } = await runDump({ ...source, database: 'vacant' });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.value.empty, 'database vacant has no tables');
  });

  test("a PGPASSWORD in the runner's environment is not used instead of the password file", async () => {
    const saved = process.env.PGPASSWORD;
    process.env.PGPASSWORD = 'not-the-password';
    try {
      const { result } = await runDump(source);
      assert.ok(result.ok, JSON.stringify(result));
    } finally {
      if (saved === undefined) delete process.env.PGPASSWORD;
      else process.env.PGPASSWORD = saved;
    }
  });
});
