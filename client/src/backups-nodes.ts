import * as vscode from 'vscode';
import { formatBytes } from '../../runner/src/human-log';
import type {
  ListingEntry,
  SnapshotRecord,
  VerifyCheck,
  VerifyResultRecord,
  VerifySourceResult,
} from '../../runner/src/protocol';
import type { Host } from './hosts';
import type { TreeState } from './tree-states';

const { Collapsed, None } = vscode.TreeItemCollapsibleState;

/** A snapshot as the nodes below it know it. */
export interface SnapshotRef {
  host: Host;
  target: string;
  snapshot: SnapshotRecord;
}

/** A host in the Backups view; its children are the spec's targets. */
export class BackupHostNode extends vscode.TreeItem {
  readonly kind = 'host';
  constructor(readonly host: Host) {
    super(host.label, Collapsed);
    this.id = `backups|${host.id}`;
    this.description = host.spec;
    this.tooltip = `${host.label}:${host.spec}`;
    this.iconPath = new vscode.ThemeIcon(host.entry ? 'remote' : 'vm');
    this.contextValue = 'backupsHost';
  }
}

/** A target (restic repository) of the spec; its children are its snapshots, newest first. */
export class TargetNode extends vscode.TreeItem {
  readonly kind = 'target';
  constructor(
    readonly host: Host,
    readonly target: string,
  ) {
    super(target, Collapsed);
    this.id = `backups|${host.id}|${target}`;
    this.description = 'target';
    this.iconPath = new vscode.ThemeIcon('database');
    this.contextValue = 'backupsTarget';
  }
}

/** One snapshot: its local time; host, size and sources beside it; `latest` marked. */
export class SnapshotNode extends vscode.TreeItem {
  readonly kind = 'snapshot';
  constructor(readonly ref: SnapshotRef) {
    const { snapshot } = ref;
    super(localTime(snapshot.time), Collapsed);
    this.id = `backups|${ref.host.id}|${ref.target}|${snapshot.id}`;
    const size = snapshot.bytes === undefined ? '' : ` · ${formatBytes(snapshot.bytes)}`;
    this.description = `${snapshot.latest ? 'latest · ' : ''}${snapshot.shortId} · ${snapshot.host}${size} · ${snapshot.sources.join(', ')}`;
    this.tooltip = [
      `snapshot ${snapshot.id}`,
      `taken ${localTime(snapshot.time)} (${snapshot.time}) on ${snapshot.host}`,
      `target ${ref.target}${snapshot.latest ? ' · latest' : ''}`,
      ...snapshot.sources.map((s) => {
        const bytes = snapshot.sourceBytes?.[s];
        return `  ${s}${bytes === undefined ? '' : `: ${formatBytes(bytes)}`}`;
      }),
    ].join('\n');
    this.iconPath = new vscode.ThemeIcon(snapshot.latest ? 'star-full' : 'history');
    this.contextValue = 'backupsSnapshot';
  }
}

/** A source, a folder or a file inside a snapshot (one `ls` entry). */
export class EntryNode extends vscode.TreeItem {
  readonly kind: 'source' | 'folder' | 'file';
  constructor(
    readonly ref: SnapshotRef,
    readonly entry: ListingEntry,
    isSource: boolean,
  ) {
    super(entry.name, entry.type === 'dir' ? Collapsed : None);
    this.kind = isSource ? 'source' : entry.type === 'dir' ? 'folder' : 'file';
    this.id = `backups|${ref.host.id}|${ref.target}|${ref.snapshot.id}|${entry.path}`;
    this.tooltip = entryTooltip(entry);
    const size = entry.type === 'file' ? formatBytes(entry.size ?? 0) : '';
    this.description = isSource ? `${entry.sourceType ?? ''} source` : size;
    this.resourceUri = vscode.Uri.from({ scheme: 'backup-snapshot-item', path: `/${entry.path}` });
    this.iconPath =
      isSource && entry.sourceType === 'sqlite'
        ? new vscode.ThemeIcon('database')
        : entry.type === 'dir'
          ? vscode.ThemeIcon.Folder
          : vscode.ThemeIcon.File;
    // Menus tell sources of each type apart (restore in place is for SQLite only), and files of
    // a files source (they have a current version on the host to compare with).
    this.contextValue = `backups.${this.kind}.${entry.sourceType ?? 'unknown'}`;
    if (this.kind === 'file')
      this.command = { title: 'Open', command: 'backupYaml.openSnapshotFile', arguments: [this] };
  }
}

/** A state instead of children (no repository, wrong password, …), with its action. */
export class StateNode extends vscode.TreeItem {
  readonly kind = 'state';
  constructor(
    readonly state: TreeState,
    parentId: string,
  ) {
    super(state.label, None);
    this.id = `${parentId}|state`;
    this.description = state.action.title;
    this.tooltip = `${state.detail}\n\n${state.action.title}: click, or Enter`;
    this.iconPath = new vscode.ThemeIcon(state.kind === 'no-snapshots' ? 'info' : 'warning');
    this.contextValue = `backupsState.${state.kind}`;
    this.command = state.action;
  }
}

/** The last restore drill of a snapshot; its children are the sources' results. */
export class VerifyNode extends vscode.TreeItem {
  readonly kind = 'verify';
  constructor(
    readonly record: VerifyResultRecord,
    parentId: string,
  ) {
    super(`Restore drill: ${record.status}`, Collapsed);
    this.id = `${parentId}|verify|${record.at}`;
    this.description = `${localTime(record.at)} · ${(record.durationMs / 1000).toFixed(1)} s`;
    this.tooltip = record.error ? `${record.error.message} [${record.error.code}]` : undefined;
    this.iconPath = statusIcon(record.status);
    this.contextValue = 'backupsVerify';
  }
}

export class VerifySourceNode extends vscode.TreeItem {
  readonly kind = 'verify-source';
  constructor(
    readonly result: VerifySourceResult,
    parentId: string,
  ) {
    super(result.source, Collapsed);
    this.id = `${parentId}|${result.source}`;
    this.description = `${result.status} · ${result.files} file(s), ${formatBytes(result.bytes)} · ${result.detail}`;
    this.tooltip = `${result.sourceType} source ${result.source}: ${result.detail}`;
    this.iconPath = statusIcon(result.status);
    this.contextValue = 'backupsVerifySource';
  }
}

export class VerifyCheckNode extends vscode.TreeItem {
  readonly kind = 'verify-check';
  constructor(check: VerifyCheck, parentId: string) {
    super(check.name, None);
    this.id = `${parentId}|${check.name}`;
    this.description = `${check.status} · ${check.detail}`;
    this.tooltip = check.detail;
    this.iconPath = statusIcon(check.status);
  }
}

export type BackupsNode =
  | BackupHostNode
  | TargetNode
  | SnapshotNode
  | EntryNode
  | StateNode
  | VerifyNode
  | VerifySourceNode
  | VerifyCheckNode;

function statusIcon(status: string): vscode.ThemeIcon {
  return new vscode.ThemeIcon(
    status === 'ok' ? 'pass' : status === 'skipped' ? 'circle-slash' : 'error',
  );
}

/** Full path (in the snapshot and on the host), size, mode and mtime. */
export function entryTooltip(entry: ListingEntry): string {
  return [
    entry.originalPath && entry.originalPath !== '/' ? entry.originalPath : entry.path,
    ...(entry.originalPath ? [`in the snapshot: ${entry.path}`] : []),
    ...(entry.type === 'file'
      ? [`size: ${formatBytes(entry.size ?? 0)} (${entry.size ?? 0} bytes)`]
      : []),
    ...(entry.mtime ? [`modified: ${localTime(entry.mtime)}`] : []),
    ...(entry.mode !== undefined ? [`mode: ${entry.mode.toString(8).padStart(4, '0')}`] : []),
    `source: ${entry.source}${entry.sourceType ? ` (${entry.sourceType})` : ''}`,
  ].join('\n');
}

/** "2026-12-03 18:02:11" in the editor's local time zone. */
export function localTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
