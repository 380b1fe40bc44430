import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { writePgpassFile } from '../../runner/src/sources/postgres/pgpass';
import type { PostgresSource } from '../../runner/src/spec/types';
import type { Postgres } from '../support/servers/postgres';
import { waitUntil } from '../support/servers/ports';
import {
  allProcesses,
  findPgDump,
  listDir,
  lockTable,
  runDump,
  startTrackerDatabase,
  trackerSource,
  waitForBlockedDump,
  writeSecretFile,
} from './helpers';

// Unique, so finding it anywhere can only mean a leak.
const password = `pg-s3cret-${process.pid}-${Date.now()}-never-shown`;

describe('the PostgreSQL password reaches pg_dump only through a private pgpass file', () => {
  let pg: Postgres;
  let source: PostgresSource;
  before(async () => {
    pg = await startTrackerDatabase(password);
    source = trackerSource(pg, await writeSecretFile(password));
  });
  after(() => pg.stop());

  test('the pgpass file: 0600 in a fresh 0700 directory, the password escaped, removed after', async () => {
    const written = await writePgpassFile('a:b\\c');
    assert.ok(written.ok);
    const { path, remove } = written.value;
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal((await stat(dirname(path))).mode & 0o777, 0o700);
    assert.equal(await readFile(path, 'utf8'), '*:*:*:*:a\\:b\\\\c\n');
    await remove();
    assert.ok(!existsSync(dirname(path)));
  });

  test('while a dump runs, no /proc/*/cmdline or /proc/*/environ holds the password', async () => {
    const lock = await lockTable(pg, 'tracker', 'zz_last');
    let released = false;
    try {
      const running = runDump(source);
      await waitForBlockedDump(pg, 'backup');

      const processes = await allProcesses();
      const needle = Buffer.from(password);
      const leaks = processes
        .filter(({ cmdline, environ }) => cmdline.includes(needle) || environ.includes(needle))
        .map(({ pid, cmdline }) => `${pid}: ${cmdline.toString().replace(/\0/g, ' ')}`);
      assert.deepEqual(leaks, []);

      const [dump] = await findPgDump(pg);
      assert.ok(dump, 'the running pg_dump was among the processes scanned');
      const env = Object.fromEntries(
        dump.environ
          .toString()
          .split('\0')
          .filter(Boolean)
          .map((entry) => [
            entry.slice(0, entry.indexOf('=')),
            entry.slice(entry.indexOf('=') + 1),
          ]),
      );
      assert.equal(env['PGPASSWORD'], '', 'an empty PGPASSWORD: the file is used');
      const pgpass = env['PGPASSFILE'] ?? '';
      assert.ok(pgpass.startsWith('/'), 'PGPASSFILE names a file');
      // Removed once pg_dump is connected (it narrates from then on), though the dump still waits.
      await waitUntil(async () => !existsSync(dirname(pgpass)), {
        what: 'early removal of pgpass',
      });

      await lock.release();
      released = true;
      const { result, outDir, progress, warnings } = await running;
      assert.ok(result.ok, JSON.stringify(result));
      assert.deepEqual(await listDir(outDir), ['tracker.sql'], 'no pgpass file in staging');
      const reported = JSON.stringify({ result, progress, warnings });
      assert.ok(!reported.includes(password), 'not in the metadata, progress or warnings');
      const dumped = await readFile(join(outDir, 'tracker.sql'), 'utf8');
      assert.ok(!dumped.includes(password), 'not in the dump');
    } finally {
      if (!released) await lock.release();
    }
  });
});
