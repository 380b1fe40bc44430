import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import { startMariaDb } from '../support/servers/mariadb';
import type { MariaDb } from '../support/servers/mariadb';
import { isPortOpen } from '../support/servers/ports';
import { isProcessAlive } from '../support/servers/process';

describe('startMariaDb', () => {
  let db: MariaDb;
  let scratch: string;
  before(async () => {
    db = await startMariaDb();
    scratch = await mkdtemp(join(tmpdir(), 'backup-yaml-mariadb-test-'));
  });
  after(async () => {
    await db.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  test('answers SQL over its socket, bound to 127.0.0.1 on its own port', async () => {
    const [row] = await db.rows('SELECT 6 * 7, @@port, @@bind_address, @@socket, VERSION()');
    assert.deepEqual(row, ['42', String(db.port), '127.0.0.1', db.socket, db.version]);
    assert.match(db.version, /MariaDB/);
  });

  test('a user made by createUser logs in over TCP with its password and has its grants', async () => {
    await db.sql('CREATE DATABASE shop; CREATE TABLE shop.items (id INT PRIMARY KEY);');
    const password = `pw'"\\ #${process.pid}`;
    await db.createUser('reader', password, 'SELECT', 'shop.*');
    // The password goes through an option file, as the runner does, not argv.
    const options = join(scratch, 'reader.cnf');
    await writeFile(
      options,
      `[client]\npassword="${password.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"\n`,
      { mode: 0o600 },
    );
    const mariadb = (sql: string) =>
      execa(
        'mariadb',
        [
          `--defaults-file=${options}`,
          '--host=127.0.0.1',
          `--port=${db.port}`,
          '--user=reader',
          '--batch',
          '--skip-column-names',
          '--execute',
          sql,
        ],
        { reject: false },
      );
    const ok = await mariadb('SELECT CURRENT_USER(), COUNT(*) FROM shop.items');
    assert.equal(ok.exitCode, 0, ok.stderr);
    assert.equal(ok.stdout, 'reader@%\t0');
    const denied = await mariadb('CREATE TABLE shop.other (id INT)');
    assert.notEqual(denied.exitCode, 0);
    assert.match(denied.stderr, /denied/i);
  });

  test('loadFile loads SQL into a database', async () => {
    const file = join(scratch, 'load.sql');
    await writeFile(file, 'CREATE TABLE t (n INT); INSERT INTO t VALUES (1), (2), (3);\n');
    await db.sql('CREATE DATABASE loaded');
    await db.loadFile(file, 'loaded');
    assert.deepEqual(await db.rows('SELECT SUM(n) FROM loaded.t'), [['6']]);
  });

  test('a second server starts beside the first, and stop() ends it by PID, closes its port and removes its files', async () => {
    const other = await startMariaDb();
    assert.notEqual(other.port, db.port);
    assert.ok(isProcessAlive(other.pid));
    assert.ok(await isPortOpen(other.port));
    await other.stop();
    assert.equal(isProcessAlive(other.pid), false, 'the PID is gone');
    assert.equal(await isPortOpen(other.port), false, 'the port is closed');
    assert.equal(existsSync(other.dataDir), false, 'the datadir is removed');
    assert.deepEqual(await db.rows('SELECT 1'), [['1']], 'the first server is untouched');
  });
});
