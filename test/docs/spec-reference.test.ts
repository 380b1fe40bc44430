import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderSpecReference } from '../../scripts/spec-reference.mts';
import { repoRoot } from '../support/paths';

test('docs/spec-reference.md is generated from the current schema (npx tsx scripts/spec-reference.mts --write)', () => {
  assert.equal(
    readFileSync(join(repoRoot, 'docs', 'spec-reference.md'), 'utf8'),
    renderSpecReference(),
  );
});
