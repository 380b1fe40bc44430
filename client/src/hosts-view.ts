import * as vscode from 'vscode';
import type { HostStatusStore } from './host-status';
import type { Host } from './hosts';
import { HEALTH_ICON, HEALTH_LABEL, statusLines, statusTooltip } from './status-text';

/** A configured host with its health; its context menu has the host commands. */
export class HostNode extends vscode.TreeItem {
  constructor(
    readonly host: Host,
    store: HostStatusStore,
  ) {
    super(host.label, vscode.TreeItemCollapsibleState.Collapsed);
    const status = store.get(host);
    this.id = host.id;
    this.description = `${host.spec} · ${HEALTH_LABEL[status.health]}`;
    this.iconPath = new vscode.ThemeIcon(HEALTH_ICON[status.health]);
    this.tooltip = statusTooltip(host, status);
    this.contextValue = 'backupHost';
  }
}

/** One fact of the host's status (last run, last success, last verify, last check). */
export class StatusDetailNode extends vscode.TreeItem {
  constructor(line: string) {
    super(line, vscode.TreeItemCollapsibleState.None);
    this.contextValue = 'backupHostDetail';
  }
}

/** Why the host's status is unknown, with what to do; clicking retries. */
export class HostErrorNode extends vscode.TreeItem {
  constructor(host: Host, message: string, hint: string | undefined) {
    super(message, vscode.TreeItemCollapsibleState.None);
    this.iconPath = new vscode.ThemeIcon('warning');
    this.description = hint;
    this.tooltip = hint ? `${message}\n\n${hint}` : message;
    this.contextValue = 'backupHostError';
    this.command = { title: 'Retry', command: 'backupYaml.refreshHosts', arguments: [host.id] };
  }
}

/** The view's state when no host is configured. */
export class AddHostNode extends vscode.TreeItem {
  constructor() {
    super('Add a host…', vscode.TreeItemCollapsibleState.None);
    this.iconPath = new vscode.ThemeIcon('add');
    this.command = { title: 'Add host', command: 'backupYaml.addHost' };
    this.contextValue = 'backupAddHost';
  }
}

type Node = HostNode | StatusDetailNode | HostErrorNode | AddHostNode;

/** The "Backup hosts" view: hosts with their health; below each, its status or its error. */
export class HostsView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly store: HostStatusStore,
    private readonly hosts: () => Host[],
  ) {
    this.subscription = store.onDidChange(() => this.changed.fire(undefined));
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    return node;
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      const hosts = this.hosts();
      return hosts.length === 0
        ? [new AddHostNode()]
        : hosts.map((host) => new HostNode(host, this.store));
    }
    if (!(node instanceof HostNode)) return [];
    const status = this.store.get(node.host);
    if (status.error)
      return [new HostErrorNode(node.host, status.error.message, status.error.hint)];
    return statusLines(status).map((line) => new StatusDetailNode(line));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
