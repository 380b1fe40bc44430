import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { execa } from 'execa';
import { repoRoot } from '../support/paths';

const run = (command: string, args: string[]) =>
  execa(command, args, { cwd: repoRoot, reject: false, all: true, preferLocal: true });

test('TypeScript compiles in strict mode (tsc --noEmit)', async () => {
  const result = await run('tsc', ['-p', '.']);
  assert.equal(result.exitCode, 0, result.all);
});

test('ESLint finds nothing', async () => {
  const result = await run('eslint', ['.']);
  assert.equal(result.exitCode, 0, result.all);
});

test('Prettier formatting holds', async () => {
  const result = await run('prettier', ['--check', '.']);
  assert.equal(result.exitCode, 0, result.all);
});
