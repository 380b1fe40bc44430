import * as assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import type { StatusRecord } from '../../runner/src/protocol';
import { makeStack } from '../support/demo-stack';
import type { Workdir } from '../support/runner-cli';
import { finished, makeWorkdir, runCli, snapshots, stepStatus } from '../support/runner-cli';

/**
 * Issue 10, item 2: an empty source fails the run (unless allowed), and a source far smaller
 * than at the last success is backed up but flagged: tagged, no retention, its own exit status,
 * and `status` says so. With keep_last: 1 either would otherwise forget the last good snapshot.
 */
describe('empty and shrunken sources never cost the good snapshots', () => {
  let work: Workdir;
  let stack: Awaited<ReturnType<typeof makeStack>>;
  let database: string;
  const spec = (extra: Record<string, unknown> = {}, sources: Record<string, unknown> = {}) =>
    work.writeSpec(
      {
        version: 1,
        name: 'shop',
        host: 'test-host',
        sources: {
          db: { type: 'sqlite', path: database },
          config: { type: 'files', paths: [`${stack.app}/etc/*.toml`] },
          ...sources,
        },
        staging: { dir: stack.staging },
        targets: { local: { repository: stack.repository, password_file: stack.passwordFile } },
        retention: { keep_last: 1 },
        ...extra,
      },
      `spec-${Math.random().toString(36).slice(2)}.yaml`,
    );
  const fillDatabase = (rows: number) =>
    execa('sqlite3', [
      database,
      `DROP TABLE IF EXISTS t; CREATE TABLE t (x TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${rows}) INSERT INTO t SELECT hex(randomblob(100)) FROM n; VACUUM;`,
    ]);

  before(async () => {
    work = await makeWorkdir('backup-yaml-empty-');
    stack = await makeStack(work);
    database = work.path('shop.db');
    await fillDatabase(5000);
    assert.equal((await runCli(['init', '-c', await spec()])).exitCode, 0);
    const first = await runCli(['run', '-c', await spec(), '--json']);
    assert.equal(first.exitCode, 0, first.stdout);
  });
  after(() => work.cleanup());

  test('a SQLite database truncated to 0 bytes fails the run; the last good snapshot stays', async () => {
    const good = await snapshots(stack.repository, stack.passwordFile);
    await writeFile(database, '');
    try {
      const result = await runCli(['run', '-c', await spec(), '--json']);
      assert.equal(result.exitCode, 1);
      const error = finished(result).error;
      assert.equal(error?.code, 'source-empty');
      assert.equal(error?.subject, 'db');
      assert.match(error?.message ?? '', /shop\.db is 0 bytes long/);
      assert.equal(stepStatus(result, 'retention:local'), 'skipped');
      assert.deepEqual(await snapshots(stack.repository, stack.passwordFile), good);
    } finally {
      await fillDatabase(5000);
    }
  });

  test('a files glob that matches nothing fails the run; allow_empty: true accepts it', async () => {
    const good = await snapshots(stack.repository, stack.passwordFile);
    const gone = { config: { type: 'files', paths: [`${stack.app}/etc/*.conf`] } };
    const result = await runCli(['run', '-c', await spec({}, gone), '--json']);
    assert.equal(result.exitCode, 1);
    assert.equal(finished(result).error?.code, 'source-empty');
    assert.match(finished(result).error?.message ?? '', /etc\/\*\.conf matches no file/);
    assert.deepEqual(await snapshots(stack.repository, stack.passwordFile), good);

    const allowed = { config: { ...gone.config, allow_empty: true } };
    const accepted = await runCli(['run', '-c', await spec({}, allowed), '--json']);
    assert.equal(accepted.exitCode, 0, accepted.stdout.slice(-2000));
    assert.ok(accepted.records.some((r) => r.type === 'log' && /matches no file/.test(r.message)));
  });

  test('a source far below its last size: snapshot kept and tagged, no retention, exit 3, status says so', async () => {
    // The accepted run above staged no config: make this spec's last success a full one again.
    assert.equal((await runCli(['run', '-c', await spec()])).exitCode, 0);
    const before = await snapshots(stack.repository, stack.passwordFile);
    assert.equal(before.length, 1, 'keep_last: 1');
    await fillDatabase(50);
    const shrunkSpec = await spec();
    const result = await runCli(['run', '-c', shrunkSpec, '--json']);
    assert.equal(result.exitCode, 3, result.stdout.slice(-2000));
    const error = finished(result).error;
    assert.equal(error?.code, 'source-shrunk');
    assert.equal(error?.subject, 'db');
    assert.equal(stepStatus(result, 'backup:local'), 'ok');
    assert.equal(stepStatus(result, 'retention:local'), 'skipped');
    const after = await snapshots(stack.repository, stack.passwordFile);
    assert.equal(after.length, 2, 'the good snapshot and the new one');
    assert.ok(after.some((s) => s.id === before[0]?.id));
    const flagged = after.find((s) => s.id !== before[0]?.id);
    assert.ok(flagged?.tags?.includes('backup-yaml:shrunk'), JSON.stringify(flagged?.tags));

    const status = await runCli(['status', '-c', shrunkSpec, '--json']);
    assert.equal(status.exitCode, 1);
    const record = status.records[0] as StatusRecord;
    assert.equal(record.health, 'unhealthy');
    assert.deepEqual(
      record.problems?.map((p) => [p.code, p.subject]),
      [['source-shrunk', 'db']],
    );

    // Still small the next day: still flagged (compared with the last success, not the flag).
    assert.equal((await runCli(['run', '-c', shrunkSpec])).exitCode, 3);
    assert.equal((await snapshots(stack.repository, stack.passwordFile)).length, 3);

    // Accepted: a normal run again, and retention catches up.
    const accepted = await runCli(['run', '-c', shrunkSpec, '--json', '--accept-shrink']);
    assert.equal(accepted.exitCode, 0, accepted.stdout.slice(-2000));
    assert.equal(stepStatus(accepted, 'retention:local'), 'ok');
    assert.equal((await snapshots(stack.repository, stack.passwordFile)).length, 1);
    assert.equal((await runCli(['status', '-c', shrunkSpec])).exitCode, 0);
  });

  test('max_shrink: 100% turns the check off', async () => {
    await fillDatabase(5000);
    assert.equal((await runCli(['run', '-c', await spec()])).exitCode, 0);
    await fillDatabase(20);
    const relaxed = await spec({}, { db: { type: 'sqlite', path: database, max_shrink: '100%' } });
    const result = await runCli(['run', '-c', relaxed, '--json']);
    assert.equal(result.exitCode, 0, result.stdout.slice(-2000));
    await rm(`${database}-journal`, { force: true });
  });
});
