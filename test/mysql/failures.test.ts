import * as assert from 'node:assert/strict';
import { readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { findTrailer, readEnds, verifyDumpFile } from '../../runner/src/sources/mysql/dump-output';
import type { MysqlSource } from '../../runner/src/spec/types';
import type { MariaDb } from '../support/servers/mariadb';
import { freePort } from '../support/servers/ports';
import {
  allProcesses,
  expectError,
  listDir,
  lockTable,
  newOutDir,
  runDump,
  startTrackerDatabase,
  trackerSource,
  waitForBlockedDump,
  writeSecretFile,
} from './helpers';

const password = `fail-test-${process.pid}`;

describe('dumpMysql refuses failed and incomplete dumps, leaving nothing behind', () => {
  let db: MariaDb;
  let source: MysqlSource;
  before(async () => {
    db = await startTrackerDatabase(password);
    source = trackerSource(db, await writeSecretFile(password));
  });
  after(() => db.stop());

  test('a wrong password → mysql-auth, no file, and the password is not in the message', async () => {
    const wrong = `wrong-${password}`;
    const { result, outDir, progress, warnings } = await runDump({
      ...source,
      password_file: await writeSecretFile(wrong),
    });
    const error = expectError(result);
    assert.equal(error.code, 'mysql-auth');
    assert.equal(error.subject, 'index-db');
    assert.match(error.message, /Access denied for user 'backup'/);
    assert.deepEqual(await listDir(outDir), []);
    const reported = JSON.stringify({ error, progress, warnings });
    assert.ok(!reported.includes(wrong) && !reported.includes(password));
  });

  test('nothing listening → mysql-unreachable', async () => {
    const { result, outDir } = await runDump({ ...source, port: await freePort() });
    assert.equal(expectError(result).code, 'mysql-unreachable');
    assert.deepEqual(await listDir(outDir), []);
  });

  test('an unknown database or table, missing privileges: their own codes, no file', async () => {
    // root over the socket (no password): a user without rights on a database gets 1044, not 1049.
    const asRoot = { host: undefined, port: undefined, socket: db.socket, user: 'root' };
    const cases: [Partial<MysqlSource>, string][] = [
      [{ ...asRoot, password_file: undefined, database: 'nosuch' }, 'mysql-unknown-database'],
      [{ database: 'nosuch' }, 'mysql-privileges'],
      [{ tables: ['torrents', 'nosuch'] }, 'mysql-unknown-table'],
    ];
    for (const [change, code] of cases) {
      const { result, outDir } = await runDump({ ...source, ...change });
      assert.equal(expectError(result).code, code, JSON.stringify(change));
      assert.deepEqual(await listDir(outDir), []);
    }
    // No EVENT privilege while events are dumped: the tool stops with an access error.
    await db.createUser('no_events', password, 'SELECT, SHOW VIEW, TRIGGER', 'tracker.*');
    const { result, outDir } = await runDump({ ...source, user: 'no_events' });
    assert.equal(expectError(result).code, 'mysql-privileges');
    assert.deepEqual(await listDir(outDir), []);
  });

  test('a password file that cannot be read → secret-unavailable, before any tool runs', async () => {
    const { result, outDir } = await runDump({ ...source, password_file: '/nonexistent/pw' });
    const error = expectError(result);
    assert.equal(error.code, 'secret-unavailable');
    assert.equal(error.subject, 'index-db');
    assert.deepEqual(await listDir(outDir), []);
  });

  test('no dump tool on PATH → mysql-tool-missing', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const { result } = await runDump(source);
      assert.equal(expectError(result).code, 'mysql-tool-missing');
    } finally {
      process.env.PATH = path;
    }
  });

  test('cancelled through the AbortSignal mid-dump → cancelled, the tool is gone, no file', async () => {
    const lock = await lockTable(db, 'tracker', 'zz_last');
    const controller = new AbortController();
    try {
      const running = runDump(source, { signal: controller.signal });
      await waitForBlockedDump(db, 'backup');
      controller.abort();
      const { result, outDir } = await running;
      assert.equal(expectError(result).code, 'cancelled');
      assert.deepEqual(await listDir(outDir), []);
      const dumps = (await allProcesses()).filter(
        ({ cmdline }) => cmdline.includes('mariadb-dump') && cmdline.includes(`--port=${db.port}`),
      );
      assert.deepEqual(dumps, [], 'no dump process is left');
    } finally {
      await lock.release();
    }
  });

  test('an AbortSignal aborted before the start → cancelled at once', async () => {
    const { result, outDir } = await runDump(source, { signal: AbortSignal.abort() });
    assert.equal(expectError(result).code, 'cancelled');
    assert.deepEqual(await listDir(outDir), []);
  });

  test('the server dies mid-dump (part of the file written) → refused, no file', async () => {
    const doomed = await startTrackerDatabase(password);
    try {
      const lock = await lockTable(doomed, 'tracker', 'zz_last');
      const outDir = await newOutDir();
      const running = runDump({ ...source, port: doomed.port }, { outDir });
      await waitForBlockedDump(doomed, 'backup');
      const partial = await readFile(join(outDir, 'tracker.sql'), 'utf8');
      assert.match(partial, /INSERT INTO `torrents`/, 'earlier tables were already written');
      await doomed.crash();
      const { result } = await running;
      const error = expectError(result);
      assert.equal(error.code, 'mysql-dump-failed');
      assert.match(error.message, /Lost connection|server has gone away/i);
      assert.deepEqual(await listDir(outDir), []);
      await lock.release();
    } finally {
      await doomed.stop();
    }
  });

  test('the trailer check refuses a real dump cut anywhere, even one byte short', async () => {
    const { result, outDir } = await runDump(source);
    assert.ok(result.ok, JSON.stringify(result));
    const file = join(outDir, 'tracker.sql');
    const whole = await readFile(file);
    const trailer = findTrailer((await readEnds(file)).tail);
    assert.equal(trailer, result.value.metadata.trailer);
    assert.match(trailer ?? '', /^-- Dump completed on /);

    const cuts = [1, 2, 10, trailer?.length ?? 0, whole.length / 2, whole.length - 100];
    for (const cut of cuts) {
      await writeFile(file, whole);
      await truncate(file, whole.length - Math.floor(cut));
      assert.equal(findTrailer((await readEnds(file)).tail), undefined, `cut ${cut} bytes`);
      const verdict = await verifyDumpFile(file, 'index-db');
      assert.equal(expectError(verdict).code, 'mysql-dump-incomplete', `cut ${cut} bytes`);
    }
    await writeFile(file, whole);
    assert.ok((await verifyDumpFile(file, 'index-db')).ok, 'the whole dump is accepted');
  });
});
