import * as vscode from 'vscode';
import type { ListingEntry } from 'backup-runner/protocol';
import type { EntryNode, SnapshotRef } from './backups-nodes';
import { localTime } from './backups-nodes';
import type { Ctx } from './ctx';
import type { CommandResult } from './run-commands';
import { reportError, succeeded } from './run-commands';
import { resolveEntryNode, resolveSnapshotNode } from './snapshot-pickers';
import { snapshotUri } from './snapshot-documents';

const isFile = (entry: ListingEntry) => entry.type === 'file';
const isFilesSourceFile = (entry: ListingEntry) => isFile(entry) && entry.sourceType === 'files';

const cancelled = (what: string): CommandResult => ({
  ok: false,
  error: { code: 'cancelled', message: what },
});

const opened = (node: EntryNode, summary: string, uris: vscode.Uri[]): CommandResult => ({
  ok: true,
  host: node.ref.host.label,
  summary,
  records: [],
  exitCode: 0,
  uris: uris.map(String),
});

function uriOf(ref: SnapshotRef, snapshot: string, entry: ListingEntry): vscode.Uri {
  return snapshotUri({
    hostId: ref.host.id,
    target: ref.target,
    snapshot,
    path: entry.path,
    // A SQLite database opens as its summary; its pages say nothing in an editor.
    ...(entry.sourceType === 'sqlite' && snapshot !== 'current' ? { summary: true } : {}),
  });
}

/** Open: the file of the snapshot, read-only (a SQLite database as its summary). */
export async function openSnapshotFile(ctx: Ctx, given?: unknown): Promise<CommandResult> {
  const node = await resolveEntryNode(ctx, given, isFile);
  if (!node) return cancelled('no file chosen');
  const uri = uriOf(node.ref, node.ref.snapshot.id, node.entry);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: true });
  return opened(node, `opened ${node.entry.path} of ${node.ref.snapshot.shortId}`, [uri]);
}

/** Compare with current: the snapshot's copy on the left, the host's file as it is now right. */
export async function compareWithCurrent(ctx: Ctx, given?: unknown): Promise<CommandResult> {
  const node = await resolveEntryNode(ctx, given, isFilesSourceFile);
  if (!node) return cancelled('no file of a files source chosen');
  const { ref, entry } = node;
  const left = uriOf(ref, ref.snapshot.id, entry);
  const right = uriOf(ref, 'current', entry);
  const title = `${entry.name} (${ref.snapshot.shortId} ↔ now on ${ref.host.label})`;
  await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: true });
  return opened(node, title, [left, right]);
}

/** Compare two snapshots: the same path in another snapshot of the target, older on the left. */
export async function compareSnapshots(ctx: Ctx, given?: unknown): Promise<CommandResult> {
  const node = await resolveEntryNode(ctx, given, isFile);
  if (!node) return cancelled('no file chosen');
  const { ref, entry } = node;
  const snapshots = await ctx.backups.data.snapshots(ref.host, ref.target);
  if (!snapshots.ok) return reportError(ctx, ref.host, snapshots.error);
  const others = snapshots.value.filter((s) => s.id !== ref.snapshot.id);
  const chosen = await ctx.prompts().pick(
    others.map((snapshot) => ({
      label: localTime(snapshot.time),
      description: `${snapshot.latest ? 'latest · ' : ''}${snapshot.shortId}`,
      snapshot,
    })),
    `Compare ${entry.name} of ${ref.snapshot.shortId} with the one of which snapshot?`,
  );
  if (!chosen) return cancelled('no second snapshot chosen');
  const [older, newer] =
    chosen.snapshot.time < ref.snapshot.time
      ? [chosen.snapshot, ref.snapshot]
      : [ref.snapshot, chosen.snapshot];
  const left = uriOf(ref, older.id, entry);
  const right = uriOf(ref, newer.id, entry);
  const title = `${entry.name} (${older.shortId} ↔ ${newer.shortId})`;
  await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: true });
  return opened(node, title, [left, right]);
}

/** Verify this snapshot: the restore drill on it; its per-source results become child nodes. */
export async function verifySnapshot(ctx: Ctx, given?: unknown): Promise<CommandResult> {
  const ref = await resolveSnapshotNode(ctx, given);
  if (!ref) return cancelled('no snapshot chosen');
  const { host, target, snapshot } = ref;
  const outcome = await ctx.runs.run({
    host,
    title: `Restore drill of ${snapshot.shortId} on ${host.label}`,
    argv: ['verify', '-c', host.spec, '--target', target, snapshot.id, '--json'],
    describe: (record) =>
      record.type === 'verify-source' ? `${record.source}: ${record.status}` : undefined,
  });
  void ctx.status.refresh(host);
  if (!outcome.ok) return reportError(ctx, host, outcome.error);
  const record = outcome.value.records.find((r) => r.type === 'verify');
  if (record?.type !== 'verify') {
    const error = outcome.value.records.find((r) => r.type === 'error');
    return reportError(
      ctx,
      host,
      error?.type === 'error'
        ? error.error
        : {
            code: 'runner-failed',
            message: `verify ended with exit status ${outcome.value.exitCode}`,
          },
    );
  }
  ctx.backups.view.setDrill(ref, record);
  const summary = `restore drill of ${snapshot.shortId}: ${record.status} (${record.sources.map((s) => `${s.source} ${s.status}`).join(', ')})`;
  void (record.status === 'ok'
    ? ctx.prompts().info(`${host.label}: ${summary}`)
    : ctx.prompts().error(`${host.label}: ${summary}`));
  return succeeded(host, summary, outcome.value);
}

/** Init: creates the target's repository (the "no repository" state's action). */
export async function initRepository(
  ctx: Ctx,
  hostId?: unknown,
  target?: unknown,
): Promise<CommandResult> {
  const host = await ctx.picker.resolve(hostId);
  if (!host) return cancelled('no host chosen');
  const outcome = await ctx.runs.run({
    host,
    title: `Init repository on ${host.label}`,
    argv: [
      'init',
      '-c',
      host.spec,
      ...(typeof target === 'string' ? ['--target', target] : []),
      '--json',
    ],
  });
  ctx.backups.view.refresh(host);
  if (!outcome.ok) return reportError(ctx, host, outcome.error);
  const failed = outcome.value.records.find((r) => r.type === 'init' && r.status === 'failed');
  if (failed?.type === 'init' && failed.error) return reportError(ctx, host, failed.error);
  const summary = outcome.value.records
    .flatMap((r) => (r.type === 'init' ? [`${r.target}: ${r.status}`] : []))
    .join(', ');
  void ctx.prompts().info(`${host.label}: repository ${summary}`);
  return { ok: true, host: host.label, summary, records: outcome.value.records, exitCode: 0 };
}
