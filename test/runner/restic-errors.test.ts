import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyResticFailure } from '../../runner/src/restic/errors';

// What restic 0.14 prints (exit 1) when another restic holds the lock, and when its disk is full.
test('a lock held by another restic is restic-locked; a full disk that stops the lock is not', () => {
  const locked = classifyResticFailure(
    1,
    'unable to create lock in backend: repository is already locked exclusively by PID 4242 on nas by root (UID 0, GID 0)\nlock was created at 2026-12-03 15:55:39 (5s ago)',
    'nas',
  );
  assert.equal(locked.code, 'restic-locked');
  assert.equal(
    locked.detail,
    'unable to create lock in backend: repository is already locked exclusively by PID 4242 on nas by root (UID 0, GID 0)\nlock was created at 2026-12-03 15:55:39 (5s ago)',
  );
  const full = classifyResticFailure(
    1,
    'Fatal: unable to create lock in backend: Save(<lock/7a1c3e5b2f>) returned error, retrying after 552ms: write /srv/repo/locks/7a1c: no space left on device',
    'nas',
  );
  assert.equal(full.code, 'restic-no-space');
  assert.match(full.message, /no space left on device/);
});

test("restic's Go stack trace is left out of the message; its cause is kept", () => {
  const stderr = [
    'write /srv/repo/locks/5020ed3d-tmp-1652949346: no space left on device',
    'github.com/restic/restic/internal/backend/local.(*Local).Save',
    '\tgithub.com/restic/restic/internal/backend/local/local.go:170',
    'main.main',
    '\tgithub.com/restic/restic/cmd/restic/main.go:98',
    'runtime.main',
    '\truntime/proc.go:250',
    'runtime.goexit',
    '\truntime/asm_amd64.s:1594',
    'unable to create lock in backend',
  ].join('\n');
  const error = classifyResticFailure(1, stderr, 'nas');
  assert.equal(error.code, 'restic-no-space');
  assert.doesNotMatch(error.message, /runtime|github\.com/);
  assert.match(error.message, /no space left on device.*unable to create lock in backend/);
});
