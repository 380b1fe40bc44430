// UI smoke test: "Run now" from the command palette of a real VS Code (code-server + headless
// Chromium), on a host over SSH. Screenshots of the progress notification and the status bar are
// kept in .test-tmp/ for a person to look at. Most assertions live in the extension-host suite;
// these selectors are workbench internals, so this stays one short test.
import * as assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { RemoteHosts } from './support/remote-fixture';
import { startRemoteHosts } from './support/remote-fixture';
import { withHostWorkbench } from './support/host-workbench';

const root = resolve(import.meta.dirname, '..', '..');
const artifacts = join(root, '.test-tmp', 'ui-smoke');

let hosts: RemoteHosts;
before(async () => {
  // A before hook that takes a few seconds keeps the notification on screen for the screenshot.
  hosts = await startRemoteHosts({ beforeHook: ['sleep', '4'] });
});
after(() => hosts?.stop());

test('Run now from the palette shows a progress notification, then ok in the status bar', async () => {
  const { fixture } = hosts;
  await withHostWorkbench(fixture, { extensionDevelopmentPath: root }, artifacts, async (page) => {
    const statusItem = page.locator('.statusbar-item', { hasText: `backup ${fixture.host.alias}` });
    await statusItem.waitFor({ timeout: 90_000 });
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill('>backup.yaml: Run now');
    await page
      .locator('.quick-input-list .monaco-list-row', { hasText: 'Run now' })
      .first()
      .waitFor();
    await page.keyboard.press('Enter');
    // Once it shows a step (the before hook sleeps), as a person watching it would see it.
    const progress = page.locator('.notification-toast', {
      hasText: new RegExp(`Backup on ${fixture.host.alias}: .*hook`),
    });
    await progress.waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500); // the toast's fade-in, for the picture only
    await page.screenshot({ path: join(artifacts, 'run-progress.png') });
    await progress.screenshot({ path: join(artifacts, 'run-progress-notification.png') });
    const done = page.locator('.notification-toast', { hasText: 'backup done' });
    await done.waitFor({ timeout: 90_000 });
    await page
      .locator('.statusbar-item', { hasText: `backup ${fixture.host.alias}: ok` })
      .waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(artifacts, 'run-done.png') });
    await page.locator('.part.statusbar').screenshot({ path: join(artifacts, 'status-bar.png') });
    assert.match((await statusItem.textContent()) ?? '', /: ok/);
  });
});
