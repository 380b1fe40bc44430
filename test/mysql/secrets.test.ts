import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { MysqlSource } from '../../runner/src/spec/types';
import type { MariaDb } from '../support/servers/mariadb';
import { waitUntil } from '../support/servers/ports';
import {
  allProcesses,
  listDir,
  lockTable,
  runDump,
  startTrackerDatabase,
  trackerSource,
  waitForBlockedDump,
  writeSecretFile,
} from './helpers';

// Unique, so finding it anywhere can only mean a leak.
const password = `s3cret-${process.pid}-${Date.now()}-never-shown`;

describe('the MySQL password never leaves the option pipe', () => {
  let db: MariaDb;
  let source: MysqlSource;
  before(async () => {
    db = await startTrackerDatabase(password);
    source = trackerSource(db, await writeSecretFile(password));
  });
  after(() => db.stop());

  test('while a dump runs, no /proc/*/cmdline or /proc/*/environ holds the password', async () => {
    const lock = await lockTable(db, 'tracker', 'zz_last');
    let released = false;
    try {
      const running = runDump(source);
      await waitForBlockedDump(db, 'backup');

      const processes = await allProcesses();
      const needle = Buffer.from(password);
      const leaks = processes
        .filter(({ cmdline, environ }) => cmdline.includes(needle) || environ.includes(needle))
        .map(({ pid, cmdline }) => `${pid}: ${cmdline.toString().replace(/\0/g, ' ')}`);
      assert.deepEqual(leaks, []);

      // The scan saw the dump itself, whose first option points at the option file.
      const dump = processes.find(
        ({ cmdline }) => cmdline.includes('mariadb-dump') && cmdline.includes(`--port=${db.port}`),
      );
      assert.ok(dump, 'the running dump was among the processes scanned');
      const argv = dump.cmdline.toString().split('\0');
      assert.match(argv[1] ?? '', /^--defaults-extra-file=\//);
      const optionsPath = (argv[1] ?? '').slice('--defaults-extra-file='.length);
      // Removed right after the tool opened it; the dump is still blocked meanwhile.
      await waitUntil(async () => !existsSync(optionsPath), { what: 'removal of the option FIFO' });

      await lock.release();
      released = true;
      const { result, outDir, progress, warnings } = await running;
      assert.ok(result.ok, JSON.stringify(result));
      assert.deepEqual(await listDir(outDir), ['tracker.sql'], 'no option file in staging');
      const reported = JSON.stringify({ result, progress, warnings });
      assert.ok(!reported.includes(password), 'not in the metadata, progress or warnings');
      const dumped = await readFile(join(outDir, 'tracker.sql'), 'utf8');
      assert.ok(!dumped.includes(password), 'not in the dump');
    } finally {
      if (!released) await lock.release();
    }
  });
});
