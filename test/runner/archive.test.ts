import * as assert from 'node:assert/strict';
import { mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import { archiveFileName, createArchive } from '../../runner/src/archive/create-archive';
import { pruneArchives } from '../../runner/src/archive/prune-archives';
import type { ResolvedArchive } from '../../runner/src/config';
import { newRunId } from '../../runner/src/staging/run-id';
import type { Workdir } from '../support/runner-cli';
import { makeWorkdir } from '../support/runner-cli';

const DAY = 86_400_000;

describe('local archives', () => {
  let work: Workdir;
  let runDir: string;

  before(async () => {
    work = await makeWorkdir('backup-yaml-archive-');
    runDir = work.path('current');
    await mkdir(`${runDir}/config/etc`, { recursive: true });
    await writeFile(`${runDir}/config/etc/tracker.toml`, '[core]\n', { mode: 0o640 });
    await utimes(
      `${runDir}/config/etc/tracker.toml`,
      new Date('2024-05-06T07:08:09Z'),
      new Date('2024-05-06T07:08:09Z'),
    );
    await writeFile(`${runDir}/manifest.json`, '{}\n');
  });
  after(() => work.cleanup());

  for (const [format, extractFlags] of [
    ['tar.zst', ['--zstd', '-xf']],
    ['tar.gz', ['-xzf']],
    ['tar', ['-xf']],
  ] as const) {
    test(`${format}: readable by the system tar, with contents, modes and times`, async () => {
      const archive: ResolvedArchive = {
        format,
        dir: work.path(`archives-${format}`),
        keepWithinMs: 7 * DAY,
        level: 3,
        push: false,
      };
      const runId = newRunId();
      const result = await createArchive(
        runDir,
        archive,
        'stack',
        runId,
        new AbortController().signal,
      );
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.value.path, `${archive.dir}/${archiveFileName('stack', runId, format)}`);
      assert.equal((await stat(result.value.path)).size, result.value.bytes);
      assert.deepEqual(
        await readdir(archive.dir),
        [archiveFileName('stack', runId, format)],
        'no .partial left',
      );
      const out = work.path(`extract-${format}`);
      await mkdir(out);
      await execa('tar', [...extractFlags, result.value.path, '-C', out]);
      assert.equal(await readFile(`${out}/config/etc/tracker.toml`, 'utf8'), '[core]\n');
      const info = await stat(`${out}/config/etc/tracker.toml`);
      assert.equal(info.mode & 0o777, 0o640);
      assert.equal(info.mtime.toISOString(), '2024-05-06T07:08:09.000Z');
    });
  }

  test('pruning deletes archives older than keep_within and leftovers, but always keeps the newest', async () => {
    const archive: ResolvedArchive = {
      format: 'tar.zst',
      dir: work.path('prune'),
      keepWithinMs: 7 * DAY,
      level: 3,
      push: false,
    };
    await mkdir(archive.dir);
    const now = new Date('2026-11-23T03:00:00Z');
    const name = (daysAgo: number) =>
      archiveFileName('stack', newRunId(new Date(now.getTime() - daysAgo * DAY)), 'tar.zst');
    const files = [
      name(1),
      name(6),
      name(8),
      name(30),
      `${name(0)}.partial`,
      archiveFileName('other-spec', newRunId(new Date(now.getTime() - 30 * DAY)), 'tar.zst'),
    ];
    for (const file of files) await writeFile(`${archive.dir}/${file}`, 'x');
    const removed = await pruneArchives(archive, 'stack', now);
    assert.deepEqual(removed.sort(), [name(30), name(8), `${name(0)}.partial`].sort());
    assert.deepEqual((await readdir(archive.dir)).sort(), [name(1), name(6), files[5]].sort());

    const stale: ResolvedArchive = { ...archive, dir: work.path('stale') };
    await mkdir(stale.dir);
    await writeFile(`${stale.dir}/${name(40)}`, 'x');
    await writeFile(`${stale.dir}/${name(50)}`, 'x');
    assert.deepEqual(
      await pruneArchives(stale, 'stack', now),
      [name(50)],
      'after a long outage the last archive stays',
    );
  });
});
