import * as vscode from 'vscode';
import { binaryNotice, errorNotice, isBinary, sqliteSummaryText } from './file-view';
import type { Host } from './hosts';
import type { SnapshotData } from './snapshot-data';

export const SNAPSHOT_SCHEME = 'backup-snapshot';

/** What a `backup-snapshot:` URI names: a file of a snapshot (or "current") on a host. */
export interface SnapshotFileRef {
  hostId: string;
  target: string;
  /** A full snapshot id, or "current" for the file as it is on the host now. */
  snapshot: string;
  /** `<source>/<path inside it>`, as `ls` names it. */
  path: string;
  /** Shown as a summary (SQLite databases) instead of its bytes. */
  summary?: boolean;
}

/**
 * `backup-snapshot:/<path>?host=…&target=…&snapshot=…`: the path comes first so that the tab
 * shows the file's name and the editor picks its language from it.
 */
export function snapshotUri(ref: SnapshotFileRef): vscode.Uri {
  const query = new URLSearchParams({
    host: ref.hostId,
    target: ref.target,
    snapshot: ref.snapshot,
  });
  if (ref.summary) query.set('view', 'summary');
  return vscode.Uri.from({
    scheme: SNAPSHOT_SCHEME,
    path: `/${ref.path}`,
    query: query.toString(),
  });
}

export function parseSnapshotUri(uri: vscode.Uri): SnapshotFileRef | undefined {
  const query = new URLSearchParams(uri.query);
  const hostId = query.get('host');
  const target = query.get('target');
  const snapshot = query.get('snapshot');
  if (!hostId || !target || !snapshot) return undefined;
  return {
    hostId,
    target,
    snapshot,
    path: uri.path.replace(/^\//, ''),
    ...(query.get('view') === 'summary' ? { summary: true } : {}),
  };
}

/**
 * Read-only documents of files in snapshots, fed by the host's runner (`cat --json` over the
 * host's session): text as it is, a notice instead of a binary file's bytes or of a file above
 * `backupYaml.snapshots.maxOpenBytes`, and SQLite databases as a summary.
 */
export class SnapshotDocuments implements vscode.TextDocumentContentProvider {
  constructor(
    private readonly data: SnapshotData,
    private readonly findHost: (id: string) => Host | undefined,
    private readonly maxBytes: () => number,
  ) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const ref = parseSnapshotUri(uri);
    if (!ref) return errorNotice(uri.path, 'this is not a backup-snapshot address', undefined);
    const host = this.findHost(ref.hostId);
    if (!host)
      return errorNotice(ref.path, `no host ${ref.hostId} in backupYaml.hosts`, 'add it again');
    const what =
      ref.snapshot === 'current' ? `${host.label} now` : `snapshot ${ref.snapshot.slice(0, 8)}`;
    if (ref.summary) {
      const summary = await this.data.sqliteSummary(host, ref.target, ref.snapshot, ref.path);
      return summary.ok
        ? sqliteSummaryText(summary.value, ref.snapshot.slice(0, 8))
        : errorNotice(ref.path, summary.error.message, summary.error.hint);
    }
    const file = await this.data.file(host, ref.target, ref.snapshot, ref.path, this.maxBytes());
    if (!file.ok) return errorNotice(ref.path, file.error.message, file.error.hint);
    if (isBinary(file.value.bytes)) return binaryNotice(ref.path, file.value.record.size, what);
    return file.value.bytes.toString('utf8');
  }
}
