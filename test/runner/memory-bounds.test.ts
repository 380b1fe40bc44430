import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { filesSpec, makeStack } from '../support/demo-stack';
import { maxRss } from '../support/max-rss';
import { runnerBin } from '../support/paths';
import type { Workdir } from '../support/runner-cli';
import { makeWorkdir, runCli, toResult } from '../support/runner-cli';

const MiB = 1024 * 1024;

/**
 * Issue 10, item 13: what the runner reads or keeps is bounded by what it needs, not by what it
 * is fed: /dev/urandom as a spec was read to 1.16 GB before the 2 MiB limit applied, a hook that
 * printed 50 MB took the runner to 797 MB. Measured as the peak resident size of the runner.
 */
describe('memory stays bounded whatever the runner is fed', () => {
  let work: Workdir;
  let stack: Awaited<ReturnType<typeof makeStack>>;

  before(async () => {
    work = await makeWorkdir('backup-yaml-memory-');
    stack = await makeStack(work);
  });
  after(() => work.cleanup());

  test('validate /dev/urandom: too-large, after reading at most a few MiB', async () => {
    const result = await maxRss(['node', runnerBin, 'validate', '--json', '/dev/urandom']);
    assert.equal(result.exitCode, 1, result.stderr);
    const record = toResult(result.exitCode, result.stdout, result.stderr).records[0];
    assert.ok(record?.type === 'validation');
    assert.deepEqual(
      record.diagnostics.map((d) => d.code),
      ['too-large'],
    );
    assert.ok(result.maxRssBytes < 250 * MiB, `peak ${Math.round(result.maxRssBytes / MiB)} MiB`);
  });

  test('run -c /dev/urandom: exit 2 the same way', async () => {
    const result = await maxRss(['node', runnerBin, 'run', '-c', '/dev/urandom', '--json']);
    assert.equal(result.exitCode, 2);
    assert.ok(result.maxRssBytes < 250 * MiB, `peak ${Math.round(result.maxRssBytes / MiB)} MiB`);
  });

  test('a hook printing 50 MB of lines: the runner keeps a bounded part and says so', async () => {
    const spec = await work.writeSpec(
      filesSpec(stack, {
        hooks: { before: [['sh', '-c', 'yes "a line of hook output" | head -c 50000000']] },
      }),
    );
    assert.equal((await runCli(['init', '-c', spec])).exitCode, 0);
    const result = await maxRss(['node', runnerBin, 'run', '-c', spec, '--json']);
    assert.equal(result.exitCode, 0, result.stderr);
    const records = toResult(result.exitCode, result.stdout, result.stderr).records;
    assert.ok(
      records.some(
        (r) => r.type === 'log' && /more characters of output not logged/.test(r.message),
      ),
    );
    assert.ok(result.stdout.length < 5 * MiB, `${result.stdout.length} characters of events`);
    assert.ok(result.maxRssBytes < 250 * MiB, `peak ${Math.round(result.maxRssBytes / MiB)} MiB`);
  });
});
