// The workbench of the UI tests (ui-smoke, vsix-ui): code-server on a copy of the test workspace,
// set up to talk to the fixture's main host over SSH, driven by headless Chromium. A failing
// test leaves failure.png beside its screenshots and keeps code-server's run directory.
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { launchWorkbench } from '../harness/code-server';
import type { RemoteFixture } from './remote-fixture';

const root = resolve(import.meta.dirname, '..', '..', '..');

/** The extension under development, or a built .vsix installed into the fresh profile. */
export type ExtensionUnderTest = { extensionDevelopmentPath: string } | { vsix: string };

/** Runs `drive` on a workbench for the fixture's host; screenshots go to `artifacts`. */
export async function withHostWorkbench(
  fixture: RemoteFixture,
  extension: ExtensionUnderTest,
  artifacts: string,
  drive: (page: Page) => Promise<void>,
): Promise<void> {
  mkdirSync(artifacts, { recursive: true });
  const folder = mkdtempSync(join(tmpdir(), 'backup-yaml-ws-'));
  cpSync(join(root, 'test', 'vscode', 'workspace'), folder, { recursive: true });
  const workbench = await launchWorkbench({
    ...extension,
    folder,
    userSettings: {
      'backupYaml.hosts': [{ host: fixture.host.alias, spec: fixture.host.spec }],
      'backupYaml.ssh.configFile': fixture.sshConfigFile,
      'workbench.tips.enabled': false,
    },
    log: () => undefined,
  });
  let passed = false;
  try {
    await drive(workbench.page);
    passed = true;
  } catch (error) {
    await workbench.page
      .screenshot({ path: join(artifacts, 'failure.png') })
      .catch(() => undefined);
    throw error;
  } finally {
    await workbench.close(!passed);
    rmSync(folder, { recursive: true, force: true });
  }
}
