// The built .vsix, installed into a fresh code-server profile (`code-server --install-extension`,
// no extensionDevelopmentPath), driven by headless Chromium like a person would: the Backups
// view from the activity bar, expanded with the keyboard down to a file of a snapshot, opened;
// and the language server's diagnostics on a backup.yaml. Screenshots stay in
// .test-tmp/backups-ui/ for a person to look at. Selectors are workbench internals: the
// assertions about the tree itself live in the extension-host suite.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { execa } from 'execa';
import type { Page } from 'playwright-core';
import { runCli } from '../support/runner-cli';
import type { RemoteHosts } from './support/remote-fixture';
import { startRemoteHosts } from './support/remote-fixture';
import { withHostWorkbench } from './support/host-workbench';

const root = resolve(import.meta.dirname, '..', '..');
const artifacts = join(root, '.test-tmp', 'backups-ui');

let hosts: RemoteHosts;
let packDir: string;
before(async () => {
  hosts = await startRemoteHosts();
  const run = await runCli(['run', '-c', hosts.fixture.host.spec, '--json']);
  assert.equal(run.exitCode, 0, run.stderr);
  packDir = mkdtempSync(join(tmpdir(), 'backup-yaml-vsix-'));
});
after(async () => {
  await hosts?.stop();
  if (packDir) rmSync(packDir, { recursive: true, force: true });
});

/** The row of the Backups tree whose label is `label`. */
function row(page: Page, label: string) {
  return page.locator('.pane-body .monaco-list-row', {
    has: page.locator('.label-name', {
      hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
    }),
  });
}

test('the built .vsix installs into code-server and shows diagnostics, the Backups tree and a file of a snapshot', async () => {
  const vsix = join(packDir, 'backup-yaml.vsix');
  await execa(process.execPath, [join(root, 'scripts', 'package-vsix.mjs'), vsix], {
    cwd: root,
    env: { BACKUP_YAML_PACKAGE_SKIP_BUILD: '1' },
  });
  const size = statSync(vsix).size;
  assert.ok(size > 1_000_000, `the .vsix holds the runners (${size} bytes)`);
  const { fixture } = hosts;
  await withHostWorkbench(fixture, { vsix }, artifacts, async (page) => {
    // The installed extension is up once its status bar item is (it polls the host's status).
    await page
      .locator('.statusbar-item', { hasText: `backup ${fixture.host.alias}` })
      .waitFor({ timeout: 90_000 });
    // Diagnostics: backup.yaml of the workspace has an unknown key "pth".
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 30_000 });
    await input.fill('backup.yaml');
    await page
      .locator('.quick-input-list .monaco-list-row', { hasText: /^backup\.yaml/ })
      .first()
      .waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.squiggly-error').first().waitFor({ timeout: 90_000 });
    await page.screenshot({ path: join(artifacts, 'diagnostics.png') });

    // The Backups view from the activity bar; then the keyboard only.
    await page.locator('.activitybar .action-item a[aria-label^="Backups"]').click();
    const host = row(page, fixture.host.alias);
    await host.waitFor({ timeout: 30_000 });
    await host.click();
    const path = ['local', null, 'config', ...fixture.host.app.split('/').filter(Boolean), 'etc'];
    for (const next of path) {
      await page.keyboard.press('ArrowRight');
      // null: the first snapshot under the target, whatever its time.
      const child = next
        ? row(page, next)
        : page.locator('.pane-body .monaco-list-row[aria-level="3"]').first();
      await child.waitFor({ timeout: 30_000 });
      await child.click();
    }
    await page.keyboard.press('ArrowRight');
    const file = row(page, 'tracker.toml');
    await file.waitFor({ timeout: 30_000 });
    await page.keyboard.press('ArrowDown');
    await file.hover();
    await page.waitForTimeout(1500); // the hover's tooltip, for the picture only
    await page.screenshot({ path: join(artifacts, 'tree.png') });
    await page.keyboard.press('Enter');
    const editor = page.locator('.editor-instance .view-lines', { hasText: 'listen' });
    await editor.waitFor({ timeout: 30_000 });
    assert.match((await page.locator('.tab.active').textContent()) ?? '', /tracker\.toml/);
    await page.screenshot({ path: join(artifacts, 'file-open.png') });
  });
});
