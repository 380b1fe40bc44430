import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runHook } from '../../runner/src/hooks';
import { filesSpec, makeStack } from '../support/demo-stack';
import type { Workdir } from '../support/runner-cli';
import { makeWorkdir, runCli } from '../support/runner-cli';

/** Issue 10, items 11 and 14: what validate lets through, and how a hook that cannot start reads. */
describe('small holes: reserved names, literal ping URLs, duplicate paths, empty programs', () => {
  let work: Workdir;
  let stack: Awaited<ReturnType<typeof makeStack>>;

  before(async () => {
    work = await makeWorkdir('backup-yaml-small-');
    stack = await makeStack(work);
  });
  after(() => work.cleanup());

  test('a source named manifest.json is refused by validate and run (exit 2), nothing runs', async () => {
    const spec = await work.writeSpec(
      filesSpec(stack, { sources: { 'manifest.json': { type: 'files', paths: [stack.app] } } }),
      'reserved.yaml',
    );
    const validated = await runCli(['validate', spec]);
    assert.equal(validated.exitCode, 1);
    assert.match(
      validated.stdout,
      /"manifest\.json" is the name of the file every run writes.*\[reserved-name\]/,
    );
    const run = await runCli(['run', '-c', spec, '--json']);
    assert.equal(run.exitCode, 2);
  });

  test('a literal ping URL is a literal-secret warning; duplicate paths an error', async () => {
    const spec = await work.writeSpec(
      filesSpec(stack, {
        sources: { config: { type: 'files', paths: [stack.app, stack.app] } },
        notify: { healthchecks: 'https://hc-ping.com/1234-literal' },
      }),
      'holes.yaml',
    );
    const validated = await runCli(['validate', spec]);
    assert.match(
      validated.stdout,
      /warning: the healthchecks ping URL is written into the spec.*\[literal-secret\]/,
    );
    assert.match(validated.stdout, /error: .*appears more than once.*\[duplicate-item\]/);
  });

  test('a hook whose program is "" says so (validate refuses it; the runner too, if it gets one)', async () => {
    const result = await runHook(
      { argv: [''], timeoutMs: 10_000, cwd: undefined, env: {}, label: 'hooks.before[0]' },
      { env: {}, signal: new AbortController().signal, onOutput: () => undefined },
    );
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.code, 'hook-failed');
    assert.doesNotMatch(!result.ok ? result.error.message : '', /killed by a signal/);
    assert.match(!result.ok ? result.error.message : '', /program "" (not found|cannot be run)/);
  });
});
