import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sha256File } from '../../runner/src/staging/file-digest';

/**
 * The double-buffered digest (the next read in flight while a chunk is hashed) must hash
 * exactly the file: every size around the chunk boundaries, where a swapped or stale buffer
 * or a short last read would show, checked against crypto.createHash over the whole content.
 */
describe('sha256File: the digest of the manifest and of the restore check', () => {
  const chunk = 64 * 1024;
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'backup-yaml-digest-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const sizes = [0, 1, chunk - 1, chunk, chunk + 1, 2 * chunk, 3 * chunk + 7, 5 * chunk - 1];
  for (const size of sizes)
    test(`a file of ${size} bytes (chunks of ${chunk})`, async () => {
      const content = randomBytes(size);
      const path = join(dir, `f-${size}`);
      await writeFile(path, content);
      let reported = 0;
      const digest = await sha256File(path, (n) => (reported += n), chunk);
      assert.equal(digest, createHash('sha256').update(content).digest('hex'));
      assert.equal(reported, size, 'the bytes reported are the bytes hashed');
    });

  test('the default chunk size on a file of a few chunks and a tail', async () => {
    const content = randomBytes(9 * 1024 * 1024 + 3);
    const path = join(dir, 'default');
    await writeFile(path, content);
    assert.equal(await sha256File(path), createHash('sha256').update(content).digest('hex'));
  });

  test('a missing file is an error, not a digest', async () => {
    await assert.rejects(sha256File(join(dir, 'missing')), { code: 'ENOENT' });
  });
});
