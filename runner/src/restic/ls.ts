import { posix } from 'node:path';
import type { Result } from '../result';
import { fail, ok } from '../result';
import type { ResticInvocation } from './invocation';
import type { ResticCallOptions } from './run-restic';
import { runRestic } from './run-restic';

/** A file or directory in a snapshot, as `restic ls --json` describes it. */
export interface ResticNode {
  name: string;
  type: string;
  /** Absolute path inside the snapshot. */
  path: string;
  size?: number;
  /** Permission bits only (restic prints Go's FileMode, with type bits above them). */
  mode?: number;
  mtime?: string;
}

export interface ResticListing {
  /** The listed path itself; undefined when the snapshot has no such path. */
  node: ResticNode | undefined;
  /** Its direct children (none for a file). */
  children: ResticNode[];
}

export function lsArgs(snapshotId: string, dir: string): string[] {
  return ['ls', '--json', snapshotId, dir];
}

/**
 * One level of a snapshot. restic 0.14 prints, for a directory argument, the directory itself
 * and its direct children (and nothing at all for a path the snapshot lacks).
 */
export async function resticLs(
  invocation: ResticInvocation,
  snapshotId: string,
  dir: string,
  options: ResticCallOptions,
): Promise<Result<ResticListing>> {
  const result = await runRestic(invocation, lsArgs(snapshotId, dir), options);
  if (!result.ok) return result;
  const nodes = result.value.stdout.split('\n').flatMap((line) => {
    const node = parseNode(line);
    return node ? [node] : [];
  });
  if (dir === '/') return ok({ node: { name: '/', type: 'dir', path: '/' }, children: nodes });
  const node = nodes.find((n) => n.path === dir);
  if (!node && nodes.length > 0)
    return fail('restic-output', `restic ls printed entries but not ${dir} itself`, {
      subject: invocation.target,
    });
  return ok({ node, children: nodes.filter((n) => posix.dirname(n.path) === dir) });
}

function parseNode(line: string): ResticNode | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(line) as Record<string, unknown>;
    if (value['struct_type'] !== 'node') return undefined;
    if (typeof value['path'] !== 'string' || typeof value['name'] !== 'string') return undefined;
    return {
      name: value['name'],
      type: typeof value['type'] === 'string' ? value['type'] : 'other',
      path: value['path'],
      ...(typeof value['size'] === 'number' ? { size: value['size'] } : {}),
      ...(typeof value['mode'] === 'number' ? { mode: value['mode'] & 0o777 } : {}),
      ...(typeof value['mtime'] === 'string' ? { mtime: value['mtime'] } : {}),
    };
  } catch {
    return undefined;
  }
}
