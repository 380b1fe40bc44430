import * as assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, test } from 'node:test';
import type { Workdir } from '../support/runner-cli';
import { finished, makeWorkdir, runCli, snapshots } from '../support/runner-cli';

let work: Workdir;
after(() => work?.cleanup());

test('demo: a Torrust-like stack backed up twice, a valid spec left behind, the database checked', async () => {
  work = await makeWorkdir('backup-yaml-demo-');
  const dir = work.path('demo');
  const first = await runCli(['demo', '--dir', dir, '--json']);
  assert.equal(first.exitCode, 0, first.stderr + first.stdout.slice(-1500));
  const second = await runCli(['demo', '--dir', dir]);
  assert.equal(second.exitCode, 0, second.stderr);
  assert.match(
    second.stdout,
    /simulated a day of tracker activity: \d+ torrents updated, 50 added/,
  );
  assert.match(second.stdout, /This run staged .*; .* of it was new to restic/);
  assert.equal((await runCli(['validate', `${dir}/backup.yaml`])).exitCode, 0);
  assert.equal((await snapshots(`${dir}/restic-repo`, `${dir}/secrets/restic.pw`)).length, 2);
  const manifest = JSON.parse(await readFile(`${dir}/staging/current/manifest.json`, 'utf8'));
  assert.equal(manifest.sources['tracker-db'].metadata.journalMode, 'wal');
  assert.equal(manifest.sources['tracker-db'].metadata.integrityCheck.result, 'alongside-backup');
  assert.equal(finished(first).status, 'ok');
});
