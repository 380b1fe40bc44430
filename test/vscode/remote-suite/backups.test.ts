import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { BackupsNode } from '../../../client/src/backups-nodes';
import type { BackupYamlApi } from '../../../client/src/extension';
import { command, extensionApi, fixture, hostId, RecordingPrompts, setHosts } from './support';

const f = fixture();
const mainHost = hostId(f.host.alias, f.host.spec);

describe('the Backups view: browse, open, compare, restore and verify from snapshots', function () {
  this.timeout(180_000);
  let api: BackupYamlApi;
  let prompts: RecordingPrompts;
  let snapshotId = '';

  const children = (node?: BackupsNode) => api.backupsView.getChildren(node);
  /** The child whose label is `label` (a tree item's label is a string here). */
  async function child(node: BackupsNode | undefined, label: string): Promise<BackupsNode> {
    const found = (await children(node)).find((c) => c.label === label);
    assert.ok(
      found,
      `no "${label}" under ${String(node?.label ?? 'the root')}: ${(await children(node)).map((c) => String(c.label)).join(', ')}`,
    );
    return found;
  }
  async function target(): Promise<BackupsNode> {
    return child(await child(undefined, f.host.alias), 'local');
  }
  async function snapshotNode(id: string): Promise<BackupsNode> {
    const found = (await children(await target())).find(
      (n) => n.kind === 'snapshot' && n.ref.snapshot.id === id,
    );
    assert.ok(found, `snapshot ${id} is in the tree`);
    return found;
  }
  /** Walks from the snapshot down the config source to `app/<rest>`. */
  async function appEntry(id: string, ...rest: string[]): Promise<BackupsNode> {
    let node = await child(await snapshotNode(id), 'config');
    for (const part of [...f.host.app.split('/').filter(Boolean), ...rest])
      node = await child(node, part);
    return node;
  }

  before(async () => {
    await vscode.workspace
      .getConfiguration('backupYaml')
      .update('ssh.configFile', f.sshConfigFile, vscode.ConfigurationTarget.Global);
    await setHosts([{ host: f.host.alias, spec: f.host.spec }]);
    api = await extensionApi();
    prompts = new RecordingPrompts();
    api.setPrompts(prompts);
  });

  it('after a run, its snapshot appears in the tree, newest first and marked latest', async () => {
    const targets = await children(await child(undefined, f.host.alias));
    assert.deepEqual(
      targets.map((t) => t.label),
      ['local'],
    );
    const before = await children(await target());
    const result = await command('backupYaml.runNow', mainHost);
    assert.equal(result.ok, true, JSON.stringify(result));
    const finished = result.ok ? result.records.find((r) => r.type === 'run-finished') : undefined;
    assert.ok(finished?.type === 'run-finished');
    snapshotId = finished.snapshots[0]?.snapshotId ?? '';
    const after = await children(await target());
    const first = after[0];
    assert.ok(first?.kind === 'snapshot', JSON.stringify(after.map((n) => n.label)));
    assert.ok(
      first.ref.snapshot.id.startsWith(snapshotId),
      `${first.ref.snapshot.id} is the run's ${snapshotId}`,
    );
    snapshotId = first.ref.snapshot.id;
    assert.equal(
      after.filter((n) => n.kind === 'snapshot').length,
      before.filter((n) => n.kind === 'snapshot').length + 1,
    );
    assert.match(String(first.description), /^latest · /);
    assert.match(String(first.description), /tracker-db, config/);
  });

  it('expands level by level down to tracker.toml; a second expansion asks the host nothing, and the runner answers from its cache', async () => {
    const sources = await children(await snapshotNode(snapshotId));
    assert.deepEqual(
      sources.map((s) => [s.label, s.kind === 'source' && s.entry.sourceType]),
      [
        ['tracker-db', 'sqlite'],
        ['config', 'files'],
      ],
    );
    const etc = await appEntry(snapshotId, 'etc');
    const files = await children(etc);
    assert.deepEqual(
      files.map((n) => n.label),
      ['tracker.toml'],
    );
    const toml = files[0];
    assert.ok(toml?.kind === 'file');
    assert.equal(toml.entry.originalPath, join(f.host.app, 'etc', 'tracker.toml'));
    assert.match(
      String(toml.tooltip),
      new RegExp(
        `${join(f.host.app, 'etc', 'tracker.toml')}[\\s\\S]*size: 31 B[\\s\\S]*modified: `,
      ),
    );

    const stats = api.backupsView.data.stats;
    const requests = stats.listRequests;
    await children(etc);
    assert.equal(stats.listRequests, requests, 'the second expansion is served from memory');
    api.backupsView.data.dropListings();
    await children(etc);
    assert.equal(stats.listRequests, requests + 1);
    assert.equal(stats.listCachedFlags.at(-1), true, "the runner's cached flag: no restic call");
  });

  it('opens tracker.toml with its original text, read-only', async () => {
    const result = await command(
      'backupYaml.openSnapshotFile',
      await appEntry(snapshotId, 'etc', 'tracker.toml'),
    );
    assert.equal(result.ok, true, JSON.stringify(result));
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.scheme, 'backup-snapshot');
    assert.equal(
      editor.document.getText(),
      readFileSync(join(f.host.app, 'etc', 'tracker.toml'), 'utf8'),
    );
    assert.equal(
      editor.document.languageId === 'plaintext' || editor.document.languageId.length > 0,
      true,
    );
  });

  it('opens the SQLite database as a summary: tables, row counts, integrity_check', async () => {
    const source = await child(await snapshotNode(snapshotId), 'tracker-db');
    const [database] = await children(source);
    assert.ok(database?.kind === 'file');
    await command('backupYaml.openSnapshotFile', database);
    const text = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.match(text, /PRAGMA integrity_check: ok/);
    assert.match(text, /torrents\s+2\n/);
  });

  it('Compare with current opens a diff: the snapshot on the left, the host file now on the right', async () => {
    const live = join(f.host.app, 'etc', 'tracker.toml');
    const original = await readFile(live, 'utf8');
    await writeFile(live, original.replace('6969', '7070'));
    try {
      const result = await command(
        'backupYaml.compareWithCurrent',
        await appEntry(snapshotId, 'etc', 'tracker.toml'),
      );
      assert.equal(result.ok, true, JSON.stringify(result));
      const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
      assert.ok(tab?.input instanceof vscode.TabInputTextDiff, 'a diff editor');
      assert.equal(tab.input.original.scheme, 'backup-snapshot');
      const left = await vscode.workspace.openTextDocument(tab.input.original);
      const right = await vscode.workspace.openTextDocument(tab.input.modified);
      assert.equal(left.getText(), original);
      assert.match(right.getText(), /7070/);
    } finally {
      await writeFile(live, original);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('Compare two snapshots diffs the same path, the older on the left', async () => {
    const second = await command('backupYaml.runNow', mainHost);
    assert.equal(second.ok, true, JSON.stringify(second));
    prompts.onPick = (items) =>
      (items as { snapshot: { id: string } }[]).find((i) => i.snapshot.id === snapshotId);
    try {
      const newest = (await children(await target()))[0];
      assert.ok(newest?.kind === 'snapshot' && newest.ref.snapshot.id !== snapshotId);
      let node = await child(newest, 'config');
      for (const part of [...f.host.app.split('/').filter(Boolean), 'etc', 'tracker.toml'])
        node = await child(node, part);
      const result = await command('backupYaml.compareSnapshots', node);
      assert.equal(result.ok, true, JSON.stringify(result));
      const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
      assert.ok(tab?.input instanceof vscode.TabInputTextDiff);
      assert.match(tab.input.original.query, new RegExp(`snapshot=${snapshotId}`));
      assert.match(tab.input.modified.query, new RegExp(`snapshot=${newest.ref.snapshot.id}`));
    } finally {
      prompts.onPick = () => undefined;
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('restores a folder to a scratch directory on the host: byte-equal files, verified; a second time only with --force', async () => {
    const to = join(f.host.home, 'restored-etc');
    const etc = await appEntry(snapshotId, 'etc');
    const result = await command('backupYaml.restoreFromSnapshot', etc, to);
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.deepEqual(readdirSync(join(to, 'etc')), ['tracker.toml']);
    assert.ok(
      readFileSync(join(to, 'etc', 'tracker.toml')).equals(
        readFileSync(join(f.host.app, 'etc', 'tracker.toml')),
      ),
    );
    assert.match(
      result.ok ? result.summary : '',
      /1 file, 31 B, 1 of 1 verified against the manifest/,
    );

    const confirmedBefore = prompts.confirmed.length;
    const again = await command('backupYaml.restoreFromSnapshot', etc, to);
    assert.equal(again.ok, true, JSON.stringify(again));
    assert.match(prompts.confirmed[confirmedBefore] ?? '', /is not empty[\s\S]*--force/);
  });

  it('Verify this snapshot shows per-source results as child nodes', async () => {
    const result = await command('backupYaml.verifySnapshot', await snapshotNode(snapshotId));
    assert.equal(result.ok, true, JSON.stringify(result));
    const [drill, ...sources] = await children(await snapshotNode(snapshotId));
    assert.ok(drill?.kind === 'verify', String(drill?.label));
    assert.equal(drill.label, 'Restore drill: ok');
    assert.deepEqual(
      sources.map((s) => s.label),
      ['tracker-db', 'config'],
    );
    const results = await children(drill);
    assert.deepEqual(results.map((r) => r.label).sort(), ['config', 'tracker-db']);
    const db = results.find((r) => r.label === 'tracker-db');
    const checks = await children(db);
    assert.ok(
      checks.some((c) => c.label === 'integrity_check' && /^ok/.test(String(c.description))),
    );
  });

  it('shows state nodes for a wrong password, a missing repository and an unreachable host', async () => {
    await setHosts([
      { host: f.host.alias, spec: f.wrongPasswordSpec },
      { host: f.host.alias, spec: f.noRepositorySpec },
      { host: f.badPort, spec: f.host.spec },
    ]);
    const hosts = await children();
    assert.equal(hosts.length, 3);
    const stateUnder = async (host: BackupsNode) => {
      const [first] = await children(host);
      assert.ok(first);
      const below = first.kind === 'target' ? (await children(first))[0] : first;
      assert.ok(below?.kind === 'state', String(below?.label));
      return below;
    };
    const wrong = await stateUnder(hosts[0] as BackupsNode);
    assert.equal(wrong.kind === 'state' && wrong.state.kind, 'wrong-password');
    const missing = await stateUnder(hosts[1] as BackupsNode);
    assert.ok(missing.kind === 'state' && missing.state.kind === 'no-repository');
    assert.equal(missing.state.action.command, 'backupYaml.initRepository');
    const unreachable = await stateUnder(hosts[2] as BackupsNode);
    assert.ok(unreachable.kind === 'state' && unreachable.state.kind === 'unreachable');
    assert.match(unreachable.state.detail, /Connection refused/);
    await setHosts([{ host: f.host.alias, spec: f.host.spec }]);
  });
});
