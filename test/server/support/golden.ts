import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../support/paths';

export const lspFixtures = join(repoRoot, 'test', 'fixtures', 'lsp');

/** The `*.yaml` fixtures of one feature folder, by name. */
export function fixturesOf(feature: string): { name: string; path: string; marked: string }[] {
  const dir = join(lspFixtures, feature);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => ({
      name,
      path: join(dir, name),
      marked: readFileSync(join(dir, name), 'utf8'),
    }));
}

/**
 * Compares `actual` with the golden file next to a fixture (`x.yaml` → `x.golden`). With
 * UPDATE_GOLDEN=1 it writes the file instead; review the diff before committing it.
 */
export function assertGolden(fixturePath: string, actual: string): void {
  const golden = fixturePath.replace(/\.yaml$/, '.golden');
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(golden, actual);
    return;
  }
  assert.ok(existsSync(golden), `${golden} is missing; run with UPDATE_GOLDEN=1 to create it`);
  assert.equal(
    actual,
    readFileSync(golden, 'utf8'),
    `${golden} differs (UPDATE_GOLDEN=1 rewrites it)`,
  );
}
