import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { STEP_KINDS } from '../../runner/src/engine/plan';
import { repoRoot } from '../support/paths';

test("docs/cli.md lists a run's steps as the plan orders them (runner/src/engine/plan.ts)", () => {
  const cli = readFileSync(join(repoRoot, 'docs', 'cli.md'), 'utf8');
  const run = cli.slice(cli.indexOf('\n## run\n'), cli.indexOf('\n## plan\n'));
  // The numbered list of the run section: every **name** that starts or follows in an item.
  const list = run.slice(run.indexOf('\n1. '), run.indexOf('\n\n', run.indexOf('\n1. ') + 1));
  const named = [...list.matchAll(/\*\*([a-z._-]+)\*\*/g)].map((match) => match[1]);
  assert.deepEqual(named, [...STEP_KINDS]);
});
