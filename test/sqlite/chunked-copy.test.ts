import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { COPY_LANES, copyRange } from '../../runner/src/sources/sqlite/chunked-copy';
import { scratchDirectory } from './support/dump';

// The user-space copy, used where there is no `cp` to copy inside the kernel.

const scratch = scratchDirectory('sqlite-chunks');
let files = 0;

async function withFiles<T>(
  content: Buffer,
  run: (sources: FileHandle[], target: FileHandle, targetPath: string) => Promise<T>,
): Promise<T> {
  const source = join(scratch, `source-${++files}`);
  const targetPath = join(scratch, `target-${files}`);
  writeFileSync(source, content);
  const sources = await Promise.all(Array.from({ length: COPY_LANES }, () => open(source, 'r')));
  const target = await open(targetPath, 'w+');
  try {
    return await run(sources, target, targetPath);
  } finally {
    await target.close();
    for (const handle of sources) await handle.close();
  }
}

describe('copyRange (the user-space copy)', () => {
  test('copies every byte of a file whose size is no multiple of anything', async () => {
    const content = randomBytes(3 * 1024 * 1024 + 12_345);
    await withFiles(content, async (sources, target, targetPath) => {
      const progress: number[] = [];
      const copied = await copyRange(sources, target, {
        length: content.length,
        signal: new AbortController().signal,
        onBytes: (bytes) => progress.push(bytes),
      });
      assert.equal(copied, content.length);
      assert.ok(readFileSync(targetPath).equals(content));
      assert.equal(progress.at(-1), content.length);
    });
  });

  test('copies only the first `length` bytes, and what there is of a shorter source', async () => {
    const content = randomBytes(1024 * 1024 + 7);
    await withFiles(content, async (sources, target, targetPath) => {
      const signal = new AbortController().signal;
      assert.equal(
        await copyRange(sources, target, { length: 500_000, signal, onBytes: () => undefined }),
        500_000,
      );
      assert.ok(readFileSync(targetPath).equals(content.subarray(0, 500_000)));
    });
    await withFiles(content, async (sources, target, targetPath) => {
      const signal = new AbortController().signal;
      const copied = await copyRange(sources, target, {
        length: 4 * content.length,
        signal,
        onBytes: () => undefined,
      });
      assert.equal(copied, content.length);
      assert.ok(readFileSync(targetPath).subarray(0, content.length).equals(content));
    });
  });

  test('stops between chunks when the signal fires', async () => {
    const content = randomBytes(8 * 1024 * 1024);
    await withFiles(content, async (sources, target) => {
      const controller = new AbortController();
      let calls = 0;
      const copied = await copyRange(sources, target, {
        length: content.length,
        signal: controller.signal,
        onBytes: () => {
          if (++calls === 2) controller.abort();
        },
      });
      assert.equal(copied, 'cancelled');
      assert.ok(calls < content.length / (256 * 1024), 'it did not copy everything first');
    });
  });
});
