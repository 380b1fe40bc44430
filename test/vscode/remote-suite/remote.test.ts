import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import * as vscode from 'vscode';
import type { RunEvent } from '../../../runner/src/protocol';
import type { BackupYamlApi } from '../../../client/src/extension';
import {
  command,
  eventually,
  extensionApi,
  fixture,
  hostId,
  RecordingPrompts,
  setHosts,
} from './support';

const f = fixture();
const mainHost = hostId(f.host.alias, f.host.spec);

describe('backups on a host over SSH, from the command palette', function () {
  this.timeout(120_000);
  let api: BackupYamlApi;
  let prompts: RecordingPrompts;
  const events: RunEvent[] = [];

  before(async () => {
    await vscode.workspace
      .getConfiguration('backupYaml')
      .update('ssh.configFile', f.sshConfigFile, vscode.ConfigurationTarget.Global);
    await setHosts([]);
    api = await extensionApi();
    prompts = new RecordingPrompts();
    api.setPrompts(prompts);
    api.onRunEvent(({ event }) => events.push(event));
  });

  it('offers the aliases of the ssh config and adds a host by its alias', async () => {
    const aliases = (await api.sshAliases()).map((a) => a.alias);
    assert.ok(aliases.includes(f.host.alias), aliases.join(', '));
    const result = await command('backupYaml.addHost', { host: f.host.alias, spec: f.host.spec });
    assert.equal(result.ok, true);
    const hosts = vscode.workspace.getConfiguration('backupYaml').get<{ host: string }[]>('hosts');
    assert.deepEqual(hosts, [{ host: f.host.alias, spec: f.host.spec }]);
  });

  it('a host without backup-runner gets the runner uploaded once, then reused', async () => {
    const first = await command('backupYaml.showStatus', mainHost);
    assert.equal(first.ok, true, JSON.stringify(first));
    assert.equal(api.stats.uploads, 1);
    const cache = join(f.host.home, '.cache', 'backup-yaml', 'runner');
    const dir = readdirSync(cache).find((name) => !name.startsWith('.')) ?? '';
    assert.ok(dir.endsWith('-js'), `the host has Node 20: the JS runner (${dir})`);
    const installed = statSync(join(cache, dir, 'cli.cjs')).mtimeMs;
    api.closeSessions();
    const connections = api.stats.connections;
    const second = await command('backupYaml.showStatus', mainHost);
    assert.equal(second.ok, true);
    assert.equal(api.stats.connections, connections + 1, 'a new connection');
    assert.equal(api.stats.uploads, 1, 'and no second upload');
    assert.equal(statSync(join(cache, dir, 'cli.cjs')).mtimeMs, installed);
  });

  it('Plan lists the steps of a run', async () => {
    const result = await command('backupYaml.plan', mainHost);
    assert.equal(result.ok, true, JSON.stringify(result));
    const plan = result.ok ? result.records.find((r) => r.type === 'plan') : undefined;
    assert.ok(plan?.type === 'plan');
    assert.ok(plan.steps.some((s) => s.id === 'dump:tracker-db'));
    assert.ok(plan.steps.some((s) => s.id === 'backup:local'));
  });

  it('Run now: its events arrive as progress, it reports the snapshot, and the status bar says ok', async () => {
    events.length = 0;
    const result = await command('backupYaml.runNow', mainHost);
    assert.equal(result.ok, true, JSON.stringify(result));
    const types = events.map((e) => e.type);
    assert.equal(types[0], 'run-started');
    assert.equal(types.at(-1), 'run-finished');
    const started = events
      .filter((e) => e.type === 'step-started')
      .map((e) => e.type === 'step-started' && e.step);
    assert.ok(
      started.includes('dump:tracker-db') && started.includes('backup:local'),
      started.join(', '),
    );
    const finished = events.at(-1);
    assert.ok(finished?.type === 'run-finished' && finished.status === 'ok');
    assert.match(
      prompts.shown.at(-1)?.message ?? '',
      new RegExp(`backup done .*local ${finished.snapshots[0]?.snapshotId}`),
    );
    await eventually(
      () => api.statusBarText().endsWith(': ok'),
      `the status bar to say ok (it says "${api.statusBarText()}")`,
    );
    assert.match(api.statusBarText(), new RegExp(`backup ${f.host.alias}: ok`));
  });

  it('cancelling a run mid-dump leaves no runner lock, no restic lock, no partial run; the next run succeeds', async () => {
    // A writer's exclusive lock on the rollback-journal database holds the dump.
    const writer = execa('sqlite3', [f.host.database], { stdin: 'pipe', reject: false });
    const locked = new Promise<void>((resolve) =>
      writer.stdout?.on(
        'data',
        (chunk: Buffer) => chunk.toString().includes('locked') && resolve(),
      ),
    );
    writer.stdin?.write("BEGIN EXCLUSIVE; SELECT 'locked';\n");
    await locked;
    try {
      events.length = 0;
      const run = command('backupYaml.runNow', mainHost);
      await eventually(
        () => events.some((e) => e.type === 'step-started' && e.step === 'dump:tracker-db'),
        'the dump to start',
      );
      // A second run of the same spec meanwhile gets the runner's lock answer, not a hang.
      const second = await command('backupYaml.runNow', mainHost);
      assert.ok(!second.ok);
      assert.equal(second.error.code, 'locked');
      assert.match(
        prompts.shown.at(-1)?.message ?? '',
        /another run \(.*PID \d+.*\) holds .*backup-yaml\.lock/,
      );
      const cancel = await command('backupYaml.cancel', mainHost);
      assert.equal(cancel.ok && cancel.summary, 'cancel sent');
      const result = await run;
      assert.equal(result.ok, false);
      const finished = events.filter((e) => e.type === 'run-finished');
      assert.deepEqual(
        finished.map((e) => e.type === 'run-finished' && e.status),
        ['failed', 'cancelled'],
        'the second run failed on the lock, the first was cancelled',
      );
    } finally {
      writer.stdin?.end();
      await writer;
    }
    assert.ok(!existsSync(join(f.host.staging, 'backup-yaml.lock')), 'no runner lock');
    assert.deepEqual(
      readdirSync(f.host.staging).filter((n) => n.endsWith('.partial')),
      [],
      'no partial run',
    );
    const locks = await execa('restic', ['list', 'locks', '--no-lock'], {
      env: { RESTIC_REPOSITORY: f.repository, RESTIC_PASSWORD_FILE: f.passwordFile },
    });
    assert.equal(String(locks.stdout).trim(), '', 'no restic lock');
    const next = await command('backupYaml.runNow', mainHost);
    assert.equal(next.ok, true, JSON.stringify(next));
  });

  it('Deploy shows the diff first, then writes the spec with mode 0600 and validates it there', async () => {
    const original = await readFile(f.host.spec, 'utf8');
    const local = join(
      vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '',
      'deploy.backup.yaml',
    );
    const changed = original.replace('name: tracker', 'name: tracker\n# deployed from VS Code');
    await writeFile(local, changed);
    const document = await vscode.workspace.openTextDocument(local);
    await vscode.window.showTextDocument(document);
    let diffShown = false;
    prompts.onConfirm = async () => {
      diffShown = vscode.window.tabGroups.all
        .flatMap((group) => group.tabs)
        .some(
          (tab) =>
            tab.input instanceof vscode.TabInputTextDiff &&
            tab.input.original.scheme === 'backup-yaml-host' &&
            tab.input.modified.fsPath === local,
        );
      assert.equal(
        await readFile(f.host.spec, 'utf8'),
        original,
        'nothing written before the answer',
      );
      return true;
    };
    try {
      const result = await command('backupYaml.deploySpec', mainHost);
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.ok(diffShown, 'the diff against the host copy was open when the question came');
      assert.equal(await readFile(f.host.spec, 'utf8'), changed);
      assert.equal(statSync(f.host.spec).mode & 0o777, 0o600);
      const written = result.ok ? result.records.find((r) => r.type === 'spec-written') : undefined;
      assert.ok(written?.type === 'spec-written' && written.validation.ok);
    } finally {
      prompts.onConfirm = () => true;
      await writeFile(f.host.spec, original, { mode: 0o600 });
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('the self-contained runner works on a host whose PATH has no node', async () => {
    await setHosts([
      { host: f.host.alias, spec: f.host.spec },
      { host: f.noNode.alias, spec: f.noNode.spec },
    ]);
    const uploads = api.stats.uploads;
    const id = hostId(f.noNode.alias, f.noNode.spec);
    const result = await command('backupYaml.runNow', id);
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(api.stats.uploads, uploads + 1);
    const cache = join(f.noNode.home, '.cache', 'backup-yaml', 'runner');
    const dir = readdirSync(cache).find((name) => !name.startsWith('.')) ?? '';
    assert.ok(dir.endsWith('-sea'), `the self-contained runner (${dir})`);
    const version = await api.runnerVersion(id);
    assert.ok(version.ok && version.value.selfContained, JSON.stringify(version));
    // Its SQLite dump ran inside the executable (better-sqlite3 from a SEA asset).
    const finished = result.ok ? result.records.find((r) => r.type === 'run-finished') : undefined;
    assert.ok(finished?.type === 'run-finished' && finished.snapshots.length === 1);
  });
});
