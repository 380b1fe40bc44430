import * as assert from 'node:assert/strict';
import { readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkDumpEnds, verifyDumpFile } from '../../runner/src/sources/postgres/dump-output';
import { readEnds } from '../../runner/src/sources/file-ends';
import type { PostgresSource } from '../../runner/src/spec/types';
import type { Postgres } from '../support/servers/postgres';
import { startVersionProxy } from '../support/servers/pg-version-proxy';
import { freePort } from '../support/servers/ports';
import {
  expectError,
  findPgDump,
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

describe('dumpPostgres refuses failed and incomplete dumps, leaving nothing behind', () => {
  let pg: Postgres;
  let source: PostgresSource;
  before(async () => {
    pg = await startTrackerDatabase(password);
    source = trackerSource(pg, await writeSecretFile(password));
  });
  after(() => pg.stop());

  test('a wrong password → postgres-auth, no file, and no password in the message', async () => {
    const wrong = `wrong-${password}`;
    const { result, outDir, progress, warnings } = await runDump({
      ...source,
      password_file: await writeSecretFile(wrong),
    });
    const error = expectError(result);
    assert.equal(error.code, 'postgres-auth');
    assert.equal(error.subject, 'tracker-db');
    assert.match(error.message, /password authentication failed for user "backup"/);
    assert.deepEqual(await listDir(outDir), []);
    const reported = JSON.stringify({ error, progress, warnings });
    assert.ok(!reported.includes(wrong) && !reported.includes(password));
  });

  test('nothing listening → postgres-unreachable', async () => {
    const { result, outDir } = await runDump({ ...source, port: await freePort() });
    assert.equal(expectError(result).code, 'postgres-unreachable');
    assert.deepEqual(await listDir(outDir), []);
  });

  test('a server newer than pg_dump → postgres-version-mismatch with its hint, no file', async () => {
    // The proxy passes everything but the server_version the real server reports at startup:
    // with the real version the dump succeeds, with a newer one the real pg_dump refuses.
    const [newer, same] = await Promise.all([
      startVersionProxy(pg.port, '99.0'),
      startVersionProxy(pg.port, pg.version),
    ]);
    try {
      const control = await runDump({ ...source, port: same.port });
      assert.ok(control.result.ok, JSON.stringify(control.result));
      const { result, outDir } = await runDump({ ...source, port: newer.port });
      const error = expectError(result);
      assert.equal(error.code, 'postgres-version-mismatch');
      assert.match(error.message, /aborting because of server version mismatch/);
      assert.match(error.hint ?? '', /pg_dump must be as new as the server/);
      assert.deepEqual(await listDir(outDir), []);
    } finally {
      await Promise.all([newer.close(), same.close()]);
    }
  });

  test('an unknown database, a missing table (strict names), no privileges: own codes, no file', async () => {
    await pg.createUser('nobody_much', password);
    await pg.sql('REVOKE ALL ON SCHEMA public FROM PUBLIC;', 'tracker');
    const cases: [Partial<PostgresSource>, string, RegExp][] = [
      [{ database: 'nosuch' }, 'postgres-unknown-database', /database "nosuch" does not exist/],
      [
        { tables: ['torrents', 'nosuch'] },
        'postgres-unknown-table',
        /no matching tables were found for pattern ""nosuch""/,
      ],
      [{ user: 'nobody_much' }, 'postgres-privileges', /permission denied/],
    ];
    for (const [change, code, message] of cases) {
      const { result, outDir } = await runDump({ ...source, ...change });
      const error = expectError(result);
      assert.equal(error.code, code, JSON.stringify(change));
      assert.match(error.message, message);
      assert.deepEqual(await listDir(outDir), []);
    }
  });

  test('a password file that cannot be read → secret-unavailable, before pg_dump runs', async () => {
    const { result, outDir } = await runDump({ ...source, password_file: '/nonexistent/pw' });
    const error = expectError(result);
    assert.equal(error.code, 'secret-unavailable');
    assert.equal(error.subject, 'tracker-db');
    assert.deepEqual(await listDir(outDir), []);
  });

  test('no pg_dump on PATH → postgres-tool-missing', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const { result } = await runDump(source);
      assert.equal(expectError(result).code, 'postgres-tool-missing');
    } finally {
      process.env.PATH = path;
    }
  });

  test('pg_dump killed mid-dump → postgres-dump-failed naming the signal, no file', async () => {
    const lock = await lockTable(pg, 'tracker', 'zz_last');
    try {
      const outDir = await newOutDir();
      const running = runDump(source, { outDir });
      await waitForBlockedDump(pg, 'backup');
      const [dump, ...others] = await findPgDump(pg);
      assert.ok(dump && others.length === 0, 'one pg_dump of this server runs');
      process.kill(Number(dump.pid), 'SIGKILL');
      const { result } = await running;
      const error = expectError(result);
      assert.equal(error.code, 'postgres-dump-failed');
      assert.match(error.message, /killed by SIGKILL/);
      assert.deepEqual(await listDir(outDir), []);
    } finally {
      await lock.release();
    }
  });

  test('cancelled through the AbortSignal mid-dump → cancelled, pg_dump is gone, no file', async () => {
    const lock = await lockTable(pg, 'tracker', 'zz_last');
    const controller = new AbortController();
    try {
      const running = runDump(source, { signal: controller.signal });
      await waitForBlockedDump(pg, 'backup');
      controller.abort();
      const { result, outDir } = await running;
      assert.equal(expectError(result).code, 'cancelled');
      assert.deepEqual(await listDir(outDir), []);
      assert.deepEqual(await findPgDump(pg), [], 'no pg_dump is left');
    } finally {
      await lock.release();
    }
  });

  test('the server dies mid-dump → refused, no file', async () => {
    const doomed = await startTrackerDatabase(password);
    try {
      const lock = await lockTable(doomed, 'tracker', 'zz_last');
      const outDir = await newOutDir();
      const running = runDump({ ...source, port: doomed.port }, { outDir });
      await waitForBlockedDump(doomed, 'backup');
      await doomed.crash();
      const { result } = await running;
      const error = expectError(result);
      assert.match(error.code, /^postgres-(dump-failed|unreachable)$/);
      assert.deepEqual(await listDir(outDir), []);
      await lock.release().catch(() => undefined);
    } finally {
      await doomed.stop();
    }
  });

  test('the completeness check refuses a real dump cut anywhere, or with another \\unrestrict key', async () => {
    const { result, outDir } = await runDump(source);
    assert.ok(result.ok, JSON.stringify(result));
    const file = join(outDir, 'tracker.sql');
    const whole = await readFile(file);
    const { head, tail } = await readEnds(file);
    assert.equal(checkDumpEnds(head, tail).trailer, '-- PostgreSQL database dump complete');

    const cuts = [1, 2, 10, 80, 120, whole.length / 2, whole.length - 100];
    for (const cut of cuts) {
      await writeFile(file, whole);
      await truncate(file, whole.length - Math.floor(cut));
      const verdict = await verifyDumpFile(file, 'tracker-db');
      assert.equal(expectError(verdict).code, 'postgres-dump-incomplete', `cut ${cut} bytes`);
    }
    const text = whole.toString('utf8');
    await writeFile(file, text.replace(/\\unrestrict \S+/, '\\unrestrict someotherkey'));
    assert.equal(
      expectError(await verifyDumpFile(file, 'tracker-db')).code,
      'postgres-dump-incomplete',
    );
    await writeFile(file, whole);
    assert.ok((await verifyDumpFile(file, 'tracker-db')).ok, 'the whole dump is accepted');
  });
});
