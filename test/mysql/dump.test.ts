import * as assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { MysqlSource } from '../../runner/src/spec/types';
import type { MariaDb } from '../support/servers/mariadb';
import {
  baseTables,
  listDir,
  runDump,
  startTrackerDatabase,
  tableFingerprints,
  trackerSource,
  writeSecretFile,
} from './helpers';

// Quotes, a comment sign, a backslash and spaces: all must survive the option file.
const password = `Tr"ack#er 'pw' \\ ${process.pid}`;

describe('dumpMysql against a real MariaDB', () => {
  let db: MariaDb;
  let passwordFile: string;
  let source: MysqlSource;
  before(async () => {
    db = await startTrackerDatabase(password);
    passwordFile = await writeSecretFile(password);
    source = trackerSource(db, passwordFile);
  });
  after(() => db.stop());

  test('the dump loads into a scratch database with the same row counts and checksums', async () => {
    const { result, outDir, progress, warnings } = await runDump(source);
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(await listDir(outDir), ['tracker.sql'], 'one file with a stable name');
    const file = join(outDir, 'tracker.sql');
    assert.equal((await stat(file)).mode & 0o777, 0o600);

    await db.sql('CREATE DATABASE restored');
    await db.loadFile(file, 'restored');
    const original = await tableFingerprints(db, 'tracker', baseTables);
    assert.deepEqual(await tableFingerprints(db, 'restored', baseTables), original);
    assert.equal(original.torrents?.rows, '3000');
    assert.deepEqual(await db.rows('SELECT COUNT(*) FROM restored.popular'), [['2000']]);

    const { metadata } = result.value;
    assert.equal(metadata.tool, 'mariadb-dump', 'auto picks mariadb-dump when it is on PATH');
    assert.match(String(metadata.toolVersion), /^mariadb-dump .*Distrib 10\.11/);
    assert.equal(metadata.serverVersion, db.version);
    assert.match(String(metadata.trailer), /^-- Dump completed on \d{4}-\d\d-\d\d/);
    assert.equal(metadata.bytes, (await stat(file)).size);
    assert.deepEqual(metadata.tables, ['downloads', 'popular', 'torrents', 'users', 'zz_last']);
    assert.equal(typeof metadata.durationMs, 'number');
    assert.deepEqual(warnings, []);
    assert.equal(progress.at(-1)?.bytesDone, metadata.bytes, 'progress ends at the file size');
    assert.ok(progress.some((update) => update.detail === 'table torrents'));
  });

  test('routines, triggers and events are in the dump and come back on restore', async () => {
    const { result, outDir } = await runDump(source);
    assert.ok(result.ok, JSON.stringify(result));
    await db.sql('CREATE DATABASE restored_routines');
    await db.loadFile(join(outDir, 'tracker.sql'), 'restored_routines');
    const names = async (query: string) => (await db.rows(query)).map(([name]) => name).sort();
    assert.deepEqual(
      await names(
        "SELECT ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'restored_routines'",
      ),
      ['purge_downloads', 'torrent_count'],
    );
    assert.deepEqual(
      await names(
        "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'restored_routines'",
      ),
      ['count_download'],
    );
    assert.deepEqual(
      await names(
        "SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = 'restored_routines'",
      ),
      ['nightly'],
    );
    assert.deepEqual(await db.rows('SELECT restored_routines.torrent_count()'), [['3000']]);
  });

  test('routines, triggers and events: false leaves them out', async () => {
    const { result, outDir } = await runDump({
      ...source,
      routines: false,
      triggers: false,
      events: false,
    });
    assert.ok(result.ok, JSON.stringify(result));
    const text = await readFile(join(outDir, 'tracker.sql'), 'utf8');
    assert.doesNotMatch(text, /CREATE .*(PROCEDURE|FUNCTION|TRIGGER|EVENT)/);
    assert.match(text, /CREATE TABLE `torrents`/);
    assert.deepEqual(
      [
        result.value.metadata.routines,
        result.value.metadata.triggers,
        result.value.metadata.events,
      ],
      [false, false, false],
    );
  });

  test('tables: dumps only those tables, and they restore', async () => {
    const { result, outDir } = await runDump({ ...source, tables: ['users', 'downloads'] });
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(result.value.metadata.tables, ['users', 'downloads']);
    await db.sql('CREATE DATABASE restored_subset');
    await db.loadFile(join(outDir, 'tracker.sql'), 'restored_subset');
    const tables = (await db.rows('SHOW TABLES FROM restored_subset')).map(([name]) => name);
    assert.deepEqual(tables.sort(), ['downloads', 'users']);
    assert.deepEqual(
      await tableFingerprints(db, 'restored_subset', ['users', 'downloads']),
      await tableFingerprints(db, 'tracker', ['users', 'downloads']),
    );
  });

  test('over the Unix socket, with password_command and with { env }, and with dump_tool: mysqldump', async () => {
    const viaSocket: MysqlSource = {
      type: 'mysql',
      database: 'tracker',
      socket: db.socket,
      user: 'backup',
      password_command: ['cat', passwordFile],
      dump_tool: 'mysqldump',
    };
    const bySocket = await runDump(viaSocket);
    assert.ok(bySocket.result.ok, JSON.stringify(bySocket.result));
    assert.equal(bySocket.result.value.metadata.tool, 'mysqldump');
    assert.match(
      await readFile(join(bySocket.outDir, 'tracker.sql'), 'utf8'),
      /-- Host: localhost {4}Database: tracker/,
    );

    process.env.BACKUP_YAML_TEST_MYSQL_PW = password;
    try {
      const byEnv = await runDump({
        ...source,
        password_file: undefined,
        password: { env: 'BACKUP_YAML_TEST_MYSQL_PW' },
      });
      assert.ok(byEnv.result.ok, JSON.stringify(byEnv.result));
    } finally {
      delete process.env.BACKUP_YAML_TEST_MYSQL_PW;
    }
  });
});
