import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { RUNNER_ERROR_CODES } from '../../runner/src/error-codes';
import { renderErrorReference } from '../../scripts/error-reference.mts';
import { repoRoot } from '../support/paths';

test('docs/errors.md is generated from the error catalogue (npx tsx scripts/error-reference.mts --write)', () => {
  assert.equal(readFileSync(join(repoRoot, 'docs', 'errors.md'), 'utf8'), renderErrorReference());
});

function runnerSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return runnerSources(path);
    return name.endsWith('.ts') && name !== 'error-codes.ts' ? [path] : [];
  });
}

test('every code of the catalogue is given somewhere in the runner (the catalogue has no dead entry)', () => {
  // The compiler rejects a code missing from the catalogue; this catches the other direction.
  const text = runnerSources(join(repoRoot, 'runner', 'src'))
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
  const unused = Object.keys(RUNNER_ERROR_CODES).filter(
    (code) => !new RegExp(`['"\`]${code}['"\`]`).test(text),
  );
  assert.deepEqual(unused, []);
});
