import type { ListingEntry } from 'backup-runner/protocol';
import type { BackupsNode, SnapshotRef } from './backups-nodes';
import { EntryNode, localTime, SnapshotNode } from './backups-nodes';
import type { Ctx } from './ctx';

/**
 * What a snapshot command acts on: the tree node it was given (click, context menu, tests), else
 * the node selected in the Backups view (a keyboard user's F1 on it), else what the user picks
 * step by step: host, target, snapshot, then folders down to an entry.
 */
export async function resolveSnapshotNode(
  ctx: Ctx,
  given: unknown,
): Promise<SnapshotRef | undefined> {
  const node = nodeOf(ctx, given);
  if (node instanceof SnapshotNode || node instanceof EntryNode) return node.ref;
  return pickSnapshot(ctx);
}

export async function resolveEntryNode(
  ctx: Ctx,
  given: unknown,
  accept: (entry: ListingEntry) => boolean,
): Promise<EntryNode | undefined> {
  const node = nodeOf(ctx, given);
  if (node instanceof EntryNode && accept(node.entry)) return node;
  const ref = node instanceof SnapshotNode ? node.ref : await pickSnapshot(ctx);
  return ref ? pickEntry(ctx, ref, accept) : undefined;
}

function nodeOf(ctx: Ctx, given: unknown): BackupsNode | undefined {
  if (given instanceof SnapshotNode || given instanceof EntryNode) return given;
  return given === undefined ? ctx.backups.selection()[0] : undefined;
}

export async function pickSnapshot(ctx: Ctx): Promise<SnapshotRef | undefined> {
  const host = await ctx.picker.resolve(undefined);
  if (!host) return undefined;
  const spec = await ctx.backups.data.spec(host);
  if (!spec.ok) return void ctx.prompts().error(`${host.label}: ${spec.error.message}`);
  const target =
    spec.value.targets.length <= 1
      ? spec.value.targets[0]
      : (
          await ctx.prompts().pick(
            spec.value.targets.map((label) => ({ label })),
            'Which target?',
          )
        )?.label;
  if (!target) return undefined;
  const snapshots = await ctx.backups.data.snapshots(host, target);
  if (!snapshots.ok) return void ctx.prompts().error(`${host.label}: ${snapshots.error.message}`);
  const chosen = await ctx.prompts().pick(
    snapshots.value.map((snapshot) => ({
      label: localTime(snapshot.time),
      description: `${snapshot.latest ? 'latest · ' : ''}${snapshot.shortId} · ${snapshot.sources.join(', ')}`,
      snapshot,
    })),
    'Which snapshot?',
  );
  return chosen ? { host, target, snapshot: chosen.snapshot } : undefined;
}

/** Walks down one level at a time (each level from the same cached listings as the tree). */
async function pickEntry(
  ctx: Ctx,
  ref: SnapshotRef,
  accept: (entry: ListingEntry) => boolean,
): Promise<EntryNode | undefined> {
  let path = '';
  let here: ListingEntry | undefined;
  for (;;) {
    const listing = await ctx.backups.data.listing(ref.host, ref.target, ref.snapshot.id, path);
    if (!listing.ok) return void ctx.prompts().error(`${ref.host.label}: ${listing.error.message}`);
    const items = [
      ...(here && accept(here)
        ? [{ label: '$(check) this folder', description: here.path, entry: here, pick: true }]
        : []),
      ...listing.value.entries.map((entry) => ({
        label: `${entry.type === 'dir' ? '$(folder)' : '$(file)'} ${entry.name}`,
        description: entry.originalPath ?? entry.path,
        entry,
        pick: entry.type !== 'dir',
      })),
    ];
    const chosen = await ctx.prompts().pick(items, path === '' ? 'Which source?' : path);
    if (!chosen) return undefined;
    if (chosen.pick)
      return accept(chosen.entry) ? new EntryNode(ref, chosen.entry, path === '') : undefined;
    here = chosen.entry;
    path = chosen.entry.path;
  }
}
