import * as vscode from 'vscode';
import type { VerifyResultRecord } from 'backup-runner/protocol';
import type { BackupsNode, SnapshotRef } from './backups-nodes';
import {
  BackupHostNode,
  EntryNode,
  SnapshotNode,
  StateNode,
  TargetNode,
  VerifyCheckNode,
  VerifyNode,
  VerifySourceNode,
} from './backups-nodes';
import type { Outcome } from './errors';
import type { Host } from './hosts';
import type { SnapshotData } from './snapshot-data';
import { noSnapshotsState, treeStateOf } from './tree-states';

/**
 * The "Backups" view: host → target → snapshots → source → folders → files, each level asked of
 * the host's runner when it is expanded (and kept in memory, see SnapshotData); a level that
 * cannot be read shows one StateNode saying why, with what to do about it.
 */
export class BackupsView implements vscode.TreeDataProvider<BackupsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<BackupsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** The same node object per host, so that one host can be refreshed alone. */
  private readonly hostNodes = new Map<string, BackupHostNode>();
  /** The last restore drill of each snapshot (`host|target|id`). */
  private readonly drills = new Map<string, VerifyResultRecord>();

  constructor(
    readonly data: SnapshotData,
    private readonly hosts: () => Host[],
  ) {}

  /** Re-reads a host's targets and snapshots (all hosts without one). */
  refresh(host?: Host): void {
    const node = host ? this.hostNodes.get(host.id) : undefined;
    for (const each of host ? [host] : this.hosts()) this.data.forget(each);
    this.changed.fire(node);
  }

  /** Shows a restore drill's results under its snapshot. */
  setDrill(ref: SnapshotRef, record: VerifyResultRecord): void {
    this.drills.set(drillKey(ref), record);
    this.refresh(ref.host);
  }

  getTreeItem(node: BackupsNode): vscode.TreeItem {
    return node;
  }

  getParent(): undefined {
    return undefined;
  }

  async getChildren(node?: BackupsNode): Promise<BackupsNode[]> {
    if (!node) return this.hostChildren();
    switch (node.kind) {
      case 'host':
        return this.targetChildren(node);
      case 'target':
        return this.snapshotChildren(node);
      case 'snapshot':
        return this.sourceChildren(node);
      case 'source':
      case 'folder':
        return this.entryChildren(node);
      case 'verify':
        return node.record.sources.map((r) => new VerifySourceNode(r, node.id ?? ''));
      case 'verify-source':
        return node.result.checks.map((c) => new VerifyCheckNode(c, node.id ?? ''));
      default:
        return [];
    }
  }

  private hostChildren(): BackupHostNode[] {
    const hosts = this.hosts();
    for (const id of [...this.hostNodes.keys()])
      if (!hosts.some((h) => h.id === id)) this.hostNodes.delete(id);
    return hosts.map((host) => {
      const node = this.hostNodes.get(host.id) ?? new BackupHostNode(host);
      this.hostNodes.set(host.id, node);
      return node;
    });
  }

  private async targetChildren(node: BackupHostNode): Promise<BackupsNode[]> {
    const spec = await this.data.spec(node.host);
    return orState(spec, node, node.host, undefined, (facts) =>
      facts.targets.map((target) => new TargetNode(node.host, target)),
    );
  }

  private async snapshotChildren(node: TargetNode): Promise<BackupsNode[]> {
    const snapshots = await this.data.snapshots(node.host, node.target);
    return orState(snapshots, node, node.host, node.target, (list) =>
      list.length === 0
        ? [new StateNode(noSnapshotsState(node.host, node.target), node.id ?? '')]
        : list.map(
            (snapshot) => new SnapshotNode({ host: node.host, target: node.target, snapshot }),
          ),
    );
  }

  private async sourceChildren(node: SnapshotNode): Promise<BackupsNode[]> {
    const { ref } = node;
    const drill = this.drills.get(drillKey(ref));
    const listing = await this.data.listing(ref.host, ref.target, ref.snapshot.id, '');
    const sources = orState(listing, node, ref.host, ref.target, (l) =>
      l.entries.map((entry) => new EntryNode(ref, entry, true)),
    );
    return drill ? [new VerifyNode(drill, node.id ?? ''), ...sources] : sources;
  }

  private async entryChildren(node: EntryNode): Promise<BackupsNode[]> {
    const { ref } = node;
    const listing = await this.data.listing(ref.host, ref.target, ref.snapshot.id, node.entry.path);
    return orState(listing, node, ref.host, ref.target, (l) =>
      l.entries.map((entry) => new EntryNode(ref, entry, false)),
    );
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function orState<T>(
  outcome: Outcome<T>,
  parent: vscode.TreeItem,
  host: Host,
  target: string | undefined,
  children: (value: T) => BackupsNode[],
): BackupsNode[] {
  if (outcome.ok) return children(outcome.value);
  return [new StateNode(treeStateOf(outcome.error, host, target), parent.id ?? '')];
}

function drillKey(ref: SnapshotRef): string {
  return `${ref.host.id}|${ref.target}|${ref.snapshot.id}`;
}
