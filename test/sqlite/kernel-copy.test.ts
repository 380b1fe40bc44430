import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { execa } from 'execa';
import { copyFileInKernel } from '../../runner/src/sources/sqlite/kernel-copy';
import { scratchDirectory } from './support/dump';

const scratch = scratchDirectory('sqlite-kernel-copy');

describe('copyFileInKernel (cp)', () => {
  test('copies the file into an existing target, which keeps its mode', async () => {
    const source = join(scratch, 'source');
    const target = join(scratch, 'target');
    const content = randomBytes(2 * 1024 * 1024 + 3);
    writeFileSync(source, content, { mode: 0o644 });
    writeFileSync(target, 'old content, longer than nothing', { mode: 0o600 });
    const outcome = await copyFileInKernel(source, target, {
      signal: new AbortController().signal,
      onBytes: () => undefined,
    });
    assert.equal(outcome, 'done');
    assert.ok(readFileSync(target).equals(content));
    assert.equal(statSync(target).mode & 0o777, 0o600);
  });

  test('a cancel kills cp at once, even while it waits for data that never comes', async () => {
    const fifo = join(scratch, 'never-written');
    await execa('mkfifo', [fifo]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const outcome = await copyFileInKernel(fifo, join(scratch, 'from-fifo'), {
      signal: controller.signal,
      onBytes: () => undefined,
    });
    assert.equal(outcome, 'cancelled');
  });

  test('a failure is reported with what cp said', async () => {
    const outcome = await copyFileInKernel(join(scratch, 'missing'), join(scratch, 'x'), {
      signal: new AbortController().signal,
      onBytes: () => undefined,
    });
    assert.equal(typeof outcome, 'object');
    assert.match((outcome as { error: string }).error, /missing/);
  });
});
