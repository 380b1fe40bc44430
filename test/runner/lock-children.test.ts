// The run lock records each child the run starts (so a run that died can have them stopped).
// Those records are written while the run goes on; one still being written when a cancelled run
// releases its lock must not bring the lock file back (a stale lock the next run takes over).
import * as assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { acquireLock } from '../../runner/src/lock';
import type { Workdir } from '../support/runner-cli';
import { makeWorkdir } from '../support/runner-cli';

let work: Workdir;
before(async () => {
  work = await makeWorkdir('backup-yaml-lock-');
});
after(() => work.cleanup());

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

test('a child recorded while the lock is released leaves no lock file', async () => {
  const path = work.path('racing.lock');
  const lock = await acquireLock(path, 'run-1');
  assert.ok(lock.ok);
  // The spawn callback does not wait for its record; the cancel releases meanwhile.
  const recorded = lock.value.recordChild(process.pid);
  await lock.value.release();
  await recorded;
  assert.equal(await exists(path), false);
});

test('a child recorded after the release does not recreate the lock file', async () => {
  const path = work.path('late.lock');
  const lock = await acquireLock(path, 'run-2');
  assert.ok(lock.ok);
  await lock.value.release();
  await lock.value.recordChild(process.pid);
  assert.equal(await exists(path), false);
});
