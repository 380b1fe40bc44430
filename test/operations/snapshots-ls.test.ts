import * as assert from 'node:assert/strict';
import { rename } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { SnapshotRecord } from '../../runner/src/protocol';
import { runCli } from '../support/runner-cli';
import type { OpsStack } from './support/ops-stack';
import { HOST, SPEC_NAME, cli, handmadeSnapshot, makeOpsStack, record } from './support/ops-stack';

describe('snapshots and ls', () => {
  let stack: OpsStack;
  let spec: string;
  let otherSpec: string;
  let handmade: string;
  /** The app directory as a path inside the config source: `config/<app without leading />`. */
  let appInSnapshot: string;

  before(async () => {
    stack = await makeOpsStack();
    spec = await stack.spec();
    await cli(['run', '-c', await stack.runSpec()]);
    // A second spec backs up into the same repository, with its own name and staging.
    otherSpec = await stack.work.writeSpec(
      {
        version: 1,
        name: 'other-stack',
        host: HOST,
        sources: { config: { type: 'files', paths: [`${stack.app}/etc`] } },
        staging: { dir: stack.work.path('other-staging') },
        targets: { local: { repository: stack.repository, password_file: stack.passwordFile } },
      },
      'other.yaml',
    );
    await cli(['run', '-c', otherSpec]);
    handmade = await handmadeSnapshot(stack, {
      sources: ['tracker-db', 'config'],
      withSqlite: true,
    });
    appInSnapshot = `config${stack.app}`;
  });
  after(() => stack?.cleanup());

  test("snapshots lists this spec's snapshots only, oldest first, with sources, sizes and latest", async () => {
    const mine = (await cli(['snapshots', '-c', spec])).records as SnapshotRecord[];
    assert.equal(mine.length, 2);
    assert.ok(
      mine.every((s) => s.type === 'snapshot' && s.tags.includes(`backup-yaml:${SPEC_NAME}`)),
    );
    assert.deepEqual(
      mine.map((s) => s.sources),
      [['config'], ['tracker-db', 'config']],
    );
    assert.deepEqual(
      mine.map((s) => s.latest),
      [false, true],
    );
    assert.ok(mine[1]?.id.startsWith(handmade));
    const configBytes =
      'TRACKER_API_TOKEN=MyAccessToken\n'.length + '[core]\nlisten = "0.0.0.0:6969"\n'.length;
    assert.deepEqual(mine[0]?.sourceBytes, { config: configBytes });
    assert.ok((mine[1]?.sourceBytes?.['tracker-db'] ?? 0) > 100_000, 'the database copy counts');
    assert.equal(mine[1]?.bytes, configBytes + (mine[1]?.sourceBytes?.['tracker-db'] ?? 0));
    assert.ok(mine.every((s) => s.host === HOST && s.target === 'local' && s.runId));

    const theirs = (await cli(['snapshots', '-c', otherSpec])).records as SnapshotRecord[];
    assert.equal(theirs.length, 1);
    assert.ok(!mine.some((s) => s.id === theirs[0]?.id), "the other spec's snapshot is not listed");
    const all = JSON.parse(await stack.restic(['snapshots', '--json'])) as unknown[];
    assert.equal(all.length, 3, 'the repository holds all three');

    const human = await runCli(['snapshots', '-c', spec]);
    assert.equal(human.exitCode, 0);
    assert.match(
      human.stdout,
      new RegExp(
        `${handmade.slice(0, 8)} .*tracker-db \\(.*\\), config \\(\\d+ B\\)  \\[latest\\]`,
      ),
    );
  });

  test('ls shows the sources, then one level at a time with the staging prefix hidden', async () => {
    const root = record(await cli(['ls', '-c', spec, handmade]), 'listing');
    assert.equal(root.path, '');
    assert.deepEqual(
      root.entries.map((e) => [e.name, e.type, e.sourceType]),
      [
        ['tracker-db', 'dir', 'sqlite'],
        ['config', 'dir', 'files'],
      ],
    );
    const db = record(await cli(['ls', '-c', spec, handmade, 'tracker-db']), 'listing');
    assert.deepEqual(
      db.entries.map((e) => [e.path, e.type]),
      [['tracker-db/tracker.db', 'file']],
    );
    assert.ok((db.entries[0]?.size ?? 0) > 100_000);

    const top = record(await cli(['ls', '-c', spec, handmade, 'config']), 'listing');
    assert.deepEqual(
      top.entries.map((e) => e.path),
      [`config/${stack.app.split('/')[1]}`],
    );
    const app = record(await cli(['ls', '-c', spec, handmade, appInSnapshot]), 'listing');
    assert.deepEqual(
      app.entries.map((e) => [e.name, e.type, e.originalPath, e.size, e.mode]),
      [
        ['etc', 'dir', `${stack.app}/etc`, undefined, 0o755],
        ['.env', 'file', `${stack.app}/.env`, 32, 0o600],
      ],
    );
    for (const listing of [root, db, top, app])
      assert.ok(!JSON.stringify(listing).includes(stack.staging), 'no staging path shown');
    const file = record(
      await cli(['ls', '-c', spec, handmade, `${appInSnapshot}/.env`]),
      'listing',
    );
    assert.deepEqual(
      file.entries.map((e) => e.name),
      ['.env'],
      'a file lists itself',
    );
  });

  test('each level is cached by snapshot id: listed again without the repository', async () => {
    const level = `${appInSnapshot}/etc`;
    const first = record(await cli(['ls', '-c', spec, handmade, level]), 'listing');
    assert.equal(first.cached, false);
    const again = record(await cli(['ls', '-c', spec, handmade, level]), 'listing');
    assert.equal(again.cached, true);
    await rename(stack.repository, `${stack.repository}.moved`);
    try {
      const offline = record(await cli(['ls', '-c', spec, handmade.slice(0, 8), level]), 'listing');
      assert.equal(offline.cached, true);
      assert.deepEqual(offline.entries, first.entries);
      const root = record(await cli(['ls', '-c', spec, handmade]), 'listing');
      assert.equal(root.entries.length, 2, 'the root comes from the cached snapshot');
      // A level never listed, and "latest", need the repository: they fail without it.
      const unlisted = await cli(['ls', '-c', spec, handmade, 'config/nowhere'], 1);
      assert.equal(record(unlisted, 'error').error.code, 'restic-no-repository');
      await cli(['ls', '-c', spec, 'latest'], 1);
    } finally {
      await rename(`${stack.repository}.moved`, stack.repository);
    }
  });

  test("ls refuses another spec's snapshot, unknown paths, and bad arguments", async () => {
    const theirs = (await cli(['snapshots', '-c', otherSpec])).records[0] as SnapshotRecord;
    const foreign = await cli(['ls', '-c', spec, theirs.shortId], 1);
    assert.equal(record(foreign, 'error').error.code, 'snapshot-not-found');
    const missing = await cli(['ls', '-c', spec, 'latest', `${appInSnapshot}/nope`], 1);
    assert.equal(record(missing, 'error').error.code, 'not-in-snapshot');
    assert.equal(
      record(await cli(['ls', '-c', spec, 'latest', 'nosuchsource'], 1), 'error').error.code,
      'not-in-snapshot',
    );
    assert.equal(
      record(await cli(['ls', '-c', spec, 'latest', 'config/../..'], 2), 'error').error.code,
      'bad-path',
    );
    assert.equal(
      record(await cli(['ls', '-c', spec, 'not-an-id'], 2), 'error').error.code,
      'bad-snapshot-id',
    );
    assert.equal(
      record(await cli(['ls', '-c', spec, 'latest', '--target', 'nope'], 2), 'error').error.code,
      'unknown-target',
    );
    await cli(['ls', '-c', spec], 2);
  });

  test('ls without --json prints one line per entry', async () => {
    const result = await runCli(['ls', '-c', spec, 'latest', appInSnapshot]);
    assert.equal(result.exitCode, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0] ?? '', /^0755 .* etc\/$/);
    assert.match(lines[1] ?? '', /^0600 +32 B .* \.env$/);
  });
});
