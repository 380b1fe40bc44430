import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { runTests } from '@vscode/test-electron';

const root = resolve(import.meta.dirname, '..', '..');
// The code-server stand-in for the VS Code executable (built by scripts/build.mjs).
const vscodeExecutablePath = join(root, 'dist', 'test', 'vscode', 'code-server-cli.js');

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'backup-yaml-ws-'));
  cpSync(join(root, 'test', 'vscode', 'workspace'), dir, { recursive: true });
  return dir;
}

test('the extension-host suite passes in a real VS Code (code-server), launched through @vscode/test-electron', async () => {
  const folder = workspace();
  try {
    const code = await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: root,
      extensionTestsPath: join(root, 'dist', 'test', 'vscode', 'suite', 'index'),
      launchArgs: [folder],
    });
    assert.equal(code, 0);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('a failing extension-host suite fails the run (the harness is not vacuous)', async () => {
  const folder = workspace();
  try {
    await assert.rejects(
      runTests({
        vscodeExecutablePath,
        extensionDevelopmentPath: root,
        extensionTestsPath: join(root, 'dist', 'test', 'vscode', 'failing-suite', 'index'),
        extensionTestsEnv: { BACKUP_YAML_VSCODE_KEEP_FAILED: '0' },
        launchArgs: [folder],
      }),
      /Test run failed with code 1/,
    );
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
