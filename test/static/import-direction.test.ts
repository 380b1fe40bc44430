import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import { findImportViolations } from '../../scripts/import-direction.mjs';
import { repoRoot } from '../support/paths';

const fixture = join(repoRoot, 'test', 'fixtures', 'import-direction');

test('no runner module imports a higher layer; server and client import only runner exports', () => {
  assert.deepEqual(findImportViolations(repoRoot), []);
});

test('the checker finds upward, dynamic, type-only, unplaced and deep editor imports (fixture)', () => {
  const found = findImportViolations(fixture).map(({ file, reason }) => `${file}: ${reason}`);
  assert.deepEqual(found, [
    'runner/src/gadgets: in no layer: place it in RUNNER_LAYERS of scripts/import-direction.mjs',
    'runner/src/engine/run.ts: ../cli/io: engine (commands) must not import cli (cli); dependencies point down: cli → commands → domain → infrastructure → contract → spec',
    'runner/src/restic/lazy.ts: ../engine/run: restic (infrastructure) must not import engine (commands); dependencies point down: cli → commands → domain → infrastructure → contract → spec',
    'runner/src/restic/lazy.ts: ../cli/io: restic (infrastructure) must not import cli (cli); dependencies point down: cli → commands → domain → infrastructure → contract → spec',
    'server/src/analysis.ts: ../../runner/src/result: the server and the client import the runner only through "backup-runner/…" (runner/package.json exports)',
  ]);
});

test('ESLint reports the same rule (import-direction/one-way) on an upward import', async () => {
  const eslint = new ESLint({ cwd: repoRoot });
  const lint = async (code: string, filePath: string) =>
    (await eslint.lintText(code, { filePath: join(repoRoot, filePath) }))[0]?.messages.map(
      (message) => message.ruleId,
    );
  assert.deepEqual(
    await lint(
      "import { processIO } from '../cli/io';\nexport const io = processIO;\n",
      'runner/src/engine/fake.ts',
    ),
    ['import-direction/one-way'],
  );
  assert.deepEqual(
    await lint(
      "import type { RunEvent } from '../../runner/src/protocol';\nexport type E = RunEvent;\n",
      'client/src/fake.ts',
    ),
    ['import-direction/one-way'],
  );
  assert.deepEqual(
    await lint(
      "import { processIO } from './io';\nexport const io = processIO;\n",
      'runner/src/cli/fake.ts',
    ),
    [],
  );
});
