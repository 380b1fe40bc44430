import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { runTests } from '@vscode/test-electron';
import type { RemoteHosts } from './support/remote-fixture';
import { startRemoteHosts } from './support/remote-fixture';

const root = resolve(import.meta.dirname, '..', '..');
const vscodeExecutablePath = join(root, 'dist', 'test', 'vscode', 'code-server-cli.js');

let hosts: RemoteHosts;
before(async () => {
  hosts = await startRemoteHosts();
});
after(() => hosts?.stop());

test('the remote suite passes in a real VS Code against real sshd hosts and restic', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'backup-yaml-ws-'));
  cpSync(join(root, 'test', 'vscode', 'workspace'), folder, { recursive: true });
  try {
    const code = await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: root,
      extensionTestsPath: join(root, 'dist', 'test', 'vscode', 'remote-suite', 'index'),
      extensionTestsEnv: {
        BACKUP_YAML_REMOTE_FIXTURE: hosts.fixtureFile,
        BACKUP_YAML_VSCODE_TIMEOUT_MS: '420000',
        ...(process.env['BACKUP_YAML_VSCODE_GREP']
          ? { BACKUP_YAML_VSCODE_GREP: process.env['BACKUP_YAML_VSCODE_GREP'] }
          : {}),
      },
      launchArgs: [folder],
    });
    assert.equal(code, 0);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
