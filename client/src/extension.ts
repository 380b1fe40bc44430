import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { registerBackupsCommands } from './backups-commands';
import { BackupsView } from './backups-view';
import { maxOpenBytes, readSettings, SECTION } from './config';
import type { Ctx } from './ctx';
import type { Outcome } from './errors';
import { failWith } from './errors';
import type { VersionRecord } from 'backup-runner/protocol';
import { HOST_SPEC_SCHEME, HostSpecDocuments } from './deploy';
import { HostPicker } from './host-picker';
import type { HostRunEvent } from './host-run';
import { HostRunner } from './host-run';
import { HostSessions } from './host-sessions';
import type { SessionStats } from './host-sessions';
import { HostStatusStore } from './host-status';
import { HostsView } from './hosts-view';
import { SnapshotData } from './snapshot-data';
import { SNAPSHOT_SCHEME, SnapshotDocuments } from './snapshot-documents';
import { startLanguageClient } from './language-client';
import { registerLanguageStatus } from './language-status';
import { HostOutput } from './output';
import type { Prompts } from './prompts';
import { windowPrompts } from './prompts';
import { BackupStatusBar } from './status-bar';
import { loadRunnerArtifacts } from './runner-artifacts';
import type { SshAlias } from './ssh-config';
import { readSshAliases } from './ssh-config';

/** What activate() returns: for other extensions, and for the extension-host tests. */
export interface BackupYamlApi {
  stats: SessionStats;
  onRunEvent: vscode.Event<HostRunEvent>;
  statusBarText(): string;
  hostsView: HostsView;
  /** The Backups view's data provider (its stats count the listings asked of hosts). */
  backupsView: BackupsView;
  sshAliases(): Promise<SshAlias[]>;
  /** Replaces the prompts (tests answer them); returns the previous ones. */
  setPrompts(prompts: Prompts): Prompts;
  /** The version record of a host's runner (connecting when needed). */
  runnerVersion(hostId: string): Promise<Outcome<VersionRecord>>;
  /** Closes every host session (the next request connects again). */
  closeSessions(): void;
}

let client: LanguageClient | undefined;
let sessions: HostSessions | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<BackupYamlApi> {
  registerLanguageStatus(context);
  let prompts: Prompts = windowPrompts;
  const output = new HostOutput();
  const artifacts = loadRunnerArtifacts(context.asAbsolutePath('dist/remote'));
  sessions = new HostSessions(() => artifacts, readSettings, {
    upload: (host, artifact) =>
      output
        .logger(host, 'Upload')
        .text(
          `uploading the ${artifact.flavour === 'sea' ? 'self-contained' : 'Node 20'} runner (${(artifact.bytes / 1048576).toFixed(1)} MiB) to ~/.cache/backup-yaml/runner/${artifact.cacheName}`,
        ),
    resticMissing: (host, error) =>
      void prompts.warn(
        `${host.label}: ${error.message}${error.hint ? ` — ${error.hint}` : ''}; backups there fail until it is installed`,
      ),
  });
  const picker = new HostPicker(context.globalState, () => prompts);
  const status = new HostStatusStore(sessions, () => picker.watched());
  const view = new HostsView(status, () => picker.configured());
  const runs = new HostRunner(sessions, output);
  const backups = new BackupsView(new SnapshotData(sessions), () => picker.watched());
  const backupsTree = vscode.window.createTreeView('backupYaml.backups', {
    treeDataProvider: backups,
    showCollapseAll: true,
  });
  const ctx: Ctx = {
    sessions,
    runs,
    status,
    output,
    picker,
    view,
    prompts: () => prompts,
    backups: { data: backups.data, view: backups, selection: () => backupsTree.selection },
  };
  const snapshotDocuments = new SnapshotDocuments(
    backups.data,
    (id) => picker.find(id),
    maxOpenBytes,
  );
  const documents = new HostSpecDocuments();
  const statusBar = new BackupStatusBar(status, () => picker.watched(), runs);
  const treeView = vscode.window.createTreeView('backupYaml.hosts', {
    treeDataProvider: view,
    showCollapseAll: false,
  });
  context.subscriptions.push(
    output,
    status,
    view,
    runs,
    statusBar,
    treeView,
    backups,
    backupsTree,
    vscode.workspace.registerTextDocumentContentProvider(HOST_SPEC_SCHEME, documents),
    vscode.workspace.registerTextDocumentContentProvider(SNAPSHOT_SCHEME, snapshotDocuments),
    ...registerCommands(ctx, documents),
    ...registerBackupsCommands(ctx),
    // A finished run made a snapshot: the host's snapshot lists are read again.
    runs.onRunEvent(({ host, event }) => {
      if (event.type === 'run-finished') backups.refresh(host);
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(SECTION)) return;
      status.startPolling(readSettings().statusIntervalSeconds);
      view.refresh();
      statusBar.update();
    }),
    // A status read when the view is first shown, then the bounded poll.
    treeView.onDidChangeVisibility((event) => {
      if (event.visible) void status.refreshAll();
    }),
    vscode.window.onDidChangeWindowState((state) => {
      if (state.focused) statusBar.update();
    }),
  );
  status.startPolling(readSettings().statusIntervalSeconds);
  // The status bar's first figures; later ones come from the bounded poll and after each run.
  if (picker.watched().length > 0) void status.refreshAll();
  client = await startLanguageClient(context);
  return {
    stats: sessions.stats,
    onRunEvent: runs.onRunEvent,
    statusBarText: () => statusBar.item.text,
    hostsView: view,
    backupsView: backups,
    sshAliases: () => readSshAliases(readSettings().sshConfigFile),
    setPrompts: (next) => {
      const previous = prompts;
      prompts = next;
      return previous;
    },
    runnerVersion: async (hostId) => {
      const host = picker.find(hostId);
      if (!host || !sessions) return failWith('no-host', `no host ${hostId}`);
      return sessions.version(host);
    },
    closeSessions: () => sessions?.closeAll(),
  };
}

export async function deactivate(): Promise<void> {
  sessions?.closeAll();
  sessions = undefined;
  await client?.stop();
  client = undefined;
}
