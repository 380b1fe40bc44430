import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { validateSpec } from '../../runner/src/spec/index';
import { wantedDiagnostics } from '../support/want-markers';

const root = resolve(import.meta.dirname, '..', '..');
const fixtureDirs = [join(root, 'test', 'fixtures', 'spec'), join(root, 'examples')];

describe('golden fixtures: each diagnostic where its # want marker says, and no other', () => {
  for (const dir of fixtureDirs) {
    for (const name of readdirSync(dir)
      .filter((file) => /\.ya?ml$/.test(file))
      .sort()) {
      test(`${dir.endsWith('examples') ? 'examples' : 'fixtures'}/${name}`, () => {
        const text = readFileSync(join(dir, name), 'utf8');
        const { diagnostics } = validateSpec(text);
        const actual = diagnostics.map((d) => `${d.range.start.line + 1}:${d.code}`).sort();
        const explained = diagnostics.map(
          (d) => `${d.range.start.line + 1}:${d.code} ${d.message}`,
        );
        assert.deepEqual(
          actual,
          wantedDiagnostics(text),
          `diagnostics were:\n${explained.join('\n')}`,
        );
      });
    }
  }
});
