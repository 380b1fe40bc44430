import * as assert from 'node:assert/strict';
import { chmod, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { execa } from 'execa';
import type { RestoreRecord } from '../../runner/src/protocol';
import { runCli } from '../support/runner-cli';
import type { OpsStack } from './support/ops-stack';
import { cli, countTorrents, handmadeSnapshot, makeOpsStack, record } from './support/ops-stack';

const ENV = 'TRACKER_API_TOKEN=MyAccessToken\n';

describe('restore', () => {
  let stack: OpsStack;
  let spec: string;
  let snapshot: string;
  let rowsInSnapshot: number;
  const dir = (name: string) => stack.work.path('restored', name);
  const restore = async (args: string[], exitCode = 0) =>
    record(await cli(['restore', '-c', spec, ...args], exitCode), 'restore') as RestoreRecord;

  before(async () => {
    stack = await makeOpsStack();
    spec = await stack.spec();
    await cli(['run', '-c', await stack.runSpec()]);
    rowsInSnapshot = countTorrents(stack.db);
    snapshot = await handmadeSnapshot(stack, {
      sources: ['tracker-db', 'config'],
      withSqlite: true,
    });
  });
  after(() => stack?.cleanup());

  test('one file of a files source, named by its path on the host, under its own name', async () => {
    const restored = await restore([
      '--source',
      'config',
      '--path',
      `${stack.app}/.env`,
      '--to',
      dir('one'),
    ]);
    assert.equal(restored.status, 'ok');
    assert.ok(restored.snapshotId.startsWith(snapshot), 'latest is the newest snapshot');
    assert.deepEqual([restored.files, restored.verifiedFiles, restored.bytes], [1, 1, ENV.length]);
    assert.deepEqual(await readdir(dir('one')), ['.env'], 'nothing else, no leftover');
    assert.equal(await readFile(join(dir('one'), '.env'), 'utf8'), ENV);
    assert.equal((await stat(join(dir('one'), '.env'))).mode & 0o777, 0o600, 'its mode comes back');
    // The source can be left out: the manifest says which source staged the path.
    const inferred = await restore([
      snapshot,
      '--path',
      `${stack.app}/etc/tracker.toml`,
      '--to',
      dir('inferred'),
    ]);
    assert.deepEqual(inferred.sources, ['config']);
    assert.deepEqual(await readdir(dir('inferred')), ['tracker.toml']);
  });

  test('a whole source, and the whole snapshot', async () => {
    const source = await restore(['--source', 'config', '--to', dir('source')]);
    assert.deepEqual([source.files, source.verifiedFiles], [2, 2]);
    assert.equal(await readFile(join(dir('source'), stack.app, '.env'), 'utf8'), ENV);
    assert.equal(
      await readFile(join(dir('source'), stack.app, 'etc', 'tracker.toml'), 'utf8'),
      await readFile(join(stack.app, 'etc', 'tracker.toml'), 'utf8'),
    );
    const everything = await restore(['--to', dir('all')]);
    assert.deepEqual(everything.sources, ['tracker-db', 'config']);
    assert.deepEqual((await readdir(dir('all'))).sort(), ['config', 'manifest.json', 'tracker-db']);
    assert.equal(everything.verifiedFiles, 3);
  });

  test('refuses a non-empty directory without --force; with it, replaces only what it restores', async () => {
    const target = dir('busy');
    await mkdir(target, { recursive: true });
    await writeFile(join(target, '.env'), 'EDITED=1\n');
    await writeFile(join(target, 'notes.txt'), 'mine\n');
    const refused = await restore(
      ['--source', 'config', '--path', `${stack.app}/.env`, '--to', target],
      1,
    );
    assert.equal(refused.status, 'failed');
    assert.equal(refused.error?.code, 'restore-target-not-empty');
    assert.equal(await readFile(join(target, '.env'), 'utf8'), 'EDITED=1\n', 'untouched');
    const forced = await restore([
      '--source',
      'config',
      '--path',
      `${stack.app}/.env`,
      '--to',
      target,
      '--force',
    ]);
    assert.equal(forced.status, 'ok');
    assert.equal(await readFile(join(target, '.env'), 'utf8'), ENV);
    assert.equal(await readFile(join(target, 'notes.txt'), 'utf8'), 'mine\n', 'other files stay');
    assert.deepEqual((await readdir(target)).sort(), ['.env', 'notes.txt']);
  });

  test('a restored SQLite database opens on its own, passes integrity_check, and has no -wal/-shm', async () => {
    const target = dir('db');
    const restored = await restore(['--source', 'tracker-db', '--to', target]);
    assert.deepEqual(await readdir(target), ['tracker.db']);
    assert.equal(restored.verifiedFiles, 1);
    const copy = join(target, 'tracker.db');
    const db = new Database(copy, { readonly: true, fileMustExist: true });
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    assert.equal(db.pragma('journal_mode', { simple: true }), 'delete', 'no WAL needed to read it');
    assert.equal(Number(db.prepare('SELECT COUNT(*) FROM torrents').pluck().get()), rowsInSnapshot);
    db.close();
    const check = await execa('sqlite3', [copy, 'PRAGMA integrity_check;']);
    assert.equal(check.stdout, 'ok', 'the sqlite3 CLI agrees');
    assert.deepEqual(await readdir(target), ['tracker.db'], 'no -wal, -shm or -journal');
  });

  test("restoring over a database removes the old one's stale -wal and -shm", async () => {
    const target = dir('stale');
    await mkdir(target, { recursive: true });
    const old = join(target, 'tracker.db');
    // An old database with committed rows still in its WAL, as a killed application leaves it.
    await killedWriter(
      old,
      'CREATE TABLE torrents (id INTEGER PRIMARY KEY); INSERT INTO torrents VALUES (1);',
    );
    assert.ok((await readdir(target)).includes('tracker.db-wal'), 'the WAL was left behind');
    const restored = await restore(['--source', 'tracker-db', '--to', target, '--force']);
    assert.deepEqual(restored.removed.sort(), [`${old}-shm`, `${old}-wal`]);
    assert.deepEqual(await readdir(target), ['tracker.db']);
    assert.equal(countTorrents(old), rowsInSnapshot, 'the restored rows, not the old WAL replayed');
  });

  test('never overwrites a database a process has open', async () => {
    const target = dir('open');
    await restore(['--source', 'tracker-db', '--to', target]);
    const holder = new Database(join(target, 'tracker.db'), { readonly: true });
    try {
      holder.prepare('SELECT COUNT(*) FROM torrents').get();
      const refused = await restore(['--source', 'tracker-db', '--to', target, '--force'], 1);
      assert.equal(refused.error?.code, 'database-in-use');
      assert.match(refused.error?.message ?? '', new RegExp(`PID ${process.pid}`));
    } finally {
      holder.close();
    }
  });

  test('unknown sources and paths, and missing --to, are errors', async () => {
    assert.equal(
      (await restore(['--source', 'nope', '--to', dir('x')], 2)).error?.code,
      'unknown-source',
    );
    assert.equal(
      (await restore(['--source', 'config', '--path', '/nowhere', '--to', dir('y')], 1)).error
        ?.code,
      'not-in-snapshot',
    );
    await cli(['restore', '-c', spec, '--source', 'config'], 2);
    await cli(['restore', '-c', spec, '--source', 'config', '--in-place'], 2);
    assert.ok(!(await readdir(stack.work.path('restored'))).some((n) => n === 'x' || n === 'y'));
  });

  describe('--in-place, for a SQLite source', () => {
    test('refuses while the application has the database open, and changes nothing', async () => {
      const app = new Database(stack.db);
      try {
        app
          .prepare('INSERT INTO torrents (info_hash, completed) VALUES (randomblob(20), -1)')
          .run();
        const refused = await restore(['--source', 'tracker-db', '--in-place'], 1);
        assert.equal(refused.error?.code, 'database-in-use');
        assert.match(refused.error?.message ?? '', /locks|has open/);
        assert.deepEqual(refused.keptAside, []);
      } finally {
        app.close();
      }
      assert.equal(countTorrents(stack.db), rowsInSnapshot + 1, 'the live database is untouched');
      assert.ok(!(await readdir(join(stack.db, '..'))).some((n) => n.includes('before-restore')));
    });

    test('once it is closed: swaps the copy in, keeps the old database with its WAL beside it', async () => {
      // The application died with committed rows in its WAL: the old state is db + -wal.
      await killedWriter(
        stack.db,
        'INSERT INTO torrents (info_hash, completed) VALUES (randomblob(20), -2);',
      );
      await chmod(stack.db, 0o640);
      const replaced = await restore(['--source', 'tracker-db', '--in-place']);
      assert.equal(replaced.status, 'ok');
      assert.equal(replaced.to, stack.db);
      const [aside] = replaced.keptAside;
      assert.ok(aside?.startsWith(`${stack.db}.before-restore-`));
      assert.deepEqual(replaced.keptAside.slice(1).sort(), [`${aside}-shm`, `${aside}-wal`]);
      const names = await readdir(join(stack.db, '..'));
      assert.ok(
        !names.includes('tracker.db-wal') && !names.includes('tracker.db-shm'),
        names.join(),
      );
      assert.ok(!names.some((n) => n.startsWith('.backup-yaml-restore-')), 'no leftover');
      assert.equal((await stat(stack.db)).mode & 0o777, 0o640, 'the mode of the replaced file');
      // Header bytes 18 and 19 are 2 for a WAL database: back in the mode it was backed up in.
      const header = await readFile(stack.db);
      assert.deepEqual([header.readUInt8(18), header.readUInt8(19)], [2, 2]);
      assert.match(replaced.warnings.join(), /back in WAL mode/);
      assert.equal(countTorrents(stack.db), rowsInSnapshot);
      // The kept database opens with its own WAL: both rows written after the snapshot are there.
      assert.equal(countTorrents(aside ?? ''), rowsInSnapshot + 2);
    });

    test('when the database is gone: restores it, and says its owner may need fixing', async () => {
      // Gone with its companions (a read-only look at a WAL database leaves -wal and -shm).
      for (const suffix of ['', '-wal', '-shm']) await rm(`${stack.db}${suffix}`, { force: true });
      const restored = await restore(['--source', 'tracker-db', '--in-place']);
      assert.deepEqual(restored.keptAside, []);
      assert.match(restored.warnings.join(), /there was no database at .*give it the owner/);
      assert.equal(countTorrents(stack.db), rowsInSnapshot);
    });
  });

  test('--in-place runs the full integrity_check again unless those very bytes passed one at backup', async () => {
    const inPlace = (args: string[]) => restore([...args, '--source', 'tracker-db', '--in-place']);
    // A snapshot whose manifest records no check (made by hand): the full check runs.
    const handmade = await inPlace([snapshot]);
    assert.deepEqual(handmade.checks, ['sha256', 'integrity_check']);
    assert.equal(handmade.fullCheckAtBackup, undefined);
    // Two runs: each checked its copy alongside the backup; the second is the last success.
    const runs: string[] = [];
    for (let i = 0; i < 2; i++) {
      const run = await cli(['run', '-c', spec]);
      const done = run.records.find((r) => r.type === 'run-finished');
      assert.ok(done?.type === 'run-finished' && done.status === 'ok');
      runs.push(done.snapshots[0]?.snapshotId ?? '');
    }
    const last = await inPlace([runs[1] ?? '']);
    assert.deepEqual(last.checks, ['sha256', 'quick_check']);
    assert.match(
      last.fullCheckAtBackup ?? '',
      /passed a full integrity_check when run \S+ backed it up/,
    );
    assert.equal(countTorrents(stack.db), rowsInSnapshot);
    // Asked for: the full check anyway.
    const forced = await inPlace([runs[1] ?? '', '--integrity-check']);
    assert.deepEqual(forced.checks, ['sha256', 'integrity_check']);
    // The earlier run's check ran alongside its backup and the state file no longer records
    // that run's outcome: nothing says it passed, so the full check runs.
    const earlier = await inPlace([runs[0] ?? '']);
    assert.deepEqual(earlier.checks, ['sha256', 'integrity_check']);
  });

  test('a snapshot id the cache knows is restored without listing the snapshots', async () => {
    // Once listed (the restore above by a short id did it), the id is in the snapshot cache.
    const known = await restore(['--source', 'config', '--to', dir('listed')]);
    // A restic whose `snapshots` fails: a restore that still lists them fails with it.
    const shims = stack.work.path('no-snapshots-bin');
    await mkdir(shims, { recursive: true });
    const real = String((await execa('sh', ['-c', 'command -v restic'])).stdout).trim();
    await writeFile(
      join(shims, 'restic'),
      `#!/bin/sh
for a in "$@"; do [ "$a" = snapshots ] && { echo "snapshots was called" >&2; exit 9; }; done
exec ${real} "$@"
`,
    );
    await chmod(join(shims, 'restic'), 0o755);
    const env = { PATH: `${shims}:${process.env['PATH'] ?? ''}` };
    const args = ['restore', '-c', spec, '--source', 'config'];
    const restored = record(
      await cli([...args, known.snapshotId, '--to', dir('cached')], 0, env),
      'restore',
    ) as RestoreRecord;
    assert.equal(restored.snapshotId, known.snapshotId);
    assert.equal(restored.verifiedFiles, 2);
    // The shim works: `latest` needs the list, and fails with it.
    await cli([...args, 'latest', '--to', dir('uncached')], 1, env);
  });

  test('without --json it says what was restored where', async () => {
    const result = await runCli([
      'restore',
      '-c',
      spec,
      '--source',
      'tracker-db',
      '--to',
      dir('human'),
    ]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(
      result.stdout,
      /restored source tracker-db of snapshot \w{8} to .*human: 1 file, .*, each checked against the manifest/,
    );
  });
});

/**
 * Writes through the sqlite3 CLI in WAL mode and kills it with SIGKILL once the statements ran:
 * what a crashed application leaves, committed rows in a -wal next to the database.
 */
async function killedWriter(database: string, statements: string): Promise<void> {
  const child = execa('sqlite3', [database], { stdin: 'pipe', reject: false });
  child.stdin.write(`PRAGMA journal_mode=WAL;\n${statements}\nSELECT 'written';\n`);
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('written')) resolve();
    });
  });
  child.kill('SIGKILL');
  await child;
}
