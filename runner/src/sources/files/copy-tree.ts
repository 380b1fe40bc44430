import {
  chmod,
  copyFile,
  lchown,
  lstat,
  lutimes,
  mkdir,
  readdir,
  readlink,
  realpath,
  stat,
  symlink,
  utimes,
} from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import type { Result } from '../../result';
import { errorMessage, fail, ok } from '../../result';

export interface CopyOptions {
  /** Where `/a/b` lands: `<outDir>/a/b`, so staged paths are stable and self-describing. */
  outDir: string;
  isExcluded: (path: string) => boolean;
  /** The roots listed in the spec; a symlink into one of them stays a link. */
  roots: string[];
  followSymlinks: boolean;
  signal: AbortSignal;
  onBytes: (bytes: number) => void;
  warn: (message: string) => void;
  subject: string;
}

export interface CopyStats {
  files: number;
  directories: number;
  symlinks: number;
  bytes: number;
  excluded: number;
  skipped: number;
  changedWhileCopied: number;
}

const canChown = process.getuid?.() === 0;

/** Copies each root into outDir with mode, times and (as root) owner kept. */
export async function copyTrees(roots: string[], options: CopyOptions): Promise<Result<CopyStats>> {
  const stats: CopyStats = {
    files: 0,
    directories: 0,
    symlinks: 0,
    bytes: 0,
    excluded: 0,
    skipped: 0,
    changedWhileCopied: 0,
  };
  const visitedDirectories = new Set<string>();
  const directoryTimes: [string, Stats][] = [];
  for (const root of roots) {
    await ensureParents(root, options.outDir);
    const result = await copyEntry(root, options, stats, visitedDirectories, directoryTimes);
    if (!result.ok) return result;
  }
  // Directory times last: writing their children would change them again.
  for (const [target, info] of directoryTimes.reverse())
    await utimes(target, info.atime, info.mtime);
  return ok(stats);
}

async function copyEntry(
  path: string,
  options: CopyOptions,
  stats: CopyStats,
  visited: Set<string>,
  directoryTimes: [string, Stats][],
): Promise<Result<void>> {
  if (options.signal.aborted)
    return fail('cancelled', 'the copy was cancelled', { subject: options.subject });
  if (options.isExcluded(path)) {
    stats.excluded++;
    return ok(undefined);
  }
  const target = join(options.outDir, path);
  let info: Stats;
  try {
    info = await lstat(path);
    if (
      info.isSymbolicLink() &&
      options.followSymlinks &&
      !isInside(await realpath(path), options.roots)
    ) {
      info = await stat(path);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      // Deleted between listing and copying, or a dangling followed link: not data we can keep.
      options.warn(`${path} disappeared while being copied`);
      stats.skipped++;
      return ok(undefined);
    }
    return fail('files-unreadable', `${path}: ${errorMessage(error)}`, {
      subject: options.subject,
    });
  }
  try {
    if (info.isSymbolicLink()) {
      await symlink(await readlink(path), target);
      await lutimes(target, info.atime, info.mtime);
      await keepOwner(target, info, true);
      stats.symlinks++;
    } else if (info.isDirectory()) {
      const real = await realpath(path);
      if (visited.has(real)) {
        options.warn(`${path} is a directory already copied (a symlink loop); skipped`);
        stats.skipped++;
        return ok(undefined);
      }
      visited.add(real);
      await mkdir(target, { recursive: true });
      await chmod(target, info.mode & 0o7777);
      await keepOwner(target, info, false);
      stats.directories++;
      for (const name of (await readdir(path)).sort()) {
        const result = await copyEntry(join(path, name), options, stats, visited, directoryTimes);
        if (!result.ok) return result;
      }
      directoryTimes.push([target, info]);
    } else if (info.isFile()) {
      await copyFile(path, target);
      await chmod(target, info.mode & 0o7777);
      await keepOwner(target, info, false);
      await utimes(target, info.atime, info.mtime);
      const after = await stat(path);
      if (after.mtimeMs !== info.mtimeMs || after.size !== info.size) {
        stats.changedWhileCopied++;
        options.warn(`${path} changed while it was copied; the copy may mix old and new content`);
      }
      stats.files++;
      stats.bytes += info.size;
      options.onBytes(info.size);
    } else {
      options.warn(
        `${path} is not a regular file, directory or symlink (a socket, FIFO or device); skipped`,
      );
      stats.skipped++;
    }
  } catch (error) {
    return fail('files-unreadable', `${path}: ${errorMessage(error)}`, {
      subject: options.subject,
    });
  }
  return ok(undefined);
}

/** Creates `<outDir>/a/b` for root `/a/b/c` with the originals' modes, so a restore keeps them. */
async function ensureParents(root: string, outDir: string): Promise<void> {
  const parents: string[] = [];
  for (let dir = dirname(root); dir !== sep && dir !== '.'; dir = dirname(dir))
    parents.unshift(dir);
  for (const dir of parents) {
    const target = join(outDir, dir);
    await mkdir(target, { recursive: true });
    try {
      const info = await stat(dir);
      await chmod(target, info.mode & 0o7777);
    } catch {
      // An unreadable parent keeps the staging default (0700).
    }
  }
}

async function keepOwner(target: string, info: Stats, isLink: boolean): Promise<void> {
  if (!canChown) return;
  try {
    await lchown(target, info.uid, info.gid);
  } catch {
    if (!isLink) throw new Error(`cannot set the owner of ${target}`);
  }
}

function isInside(path: string, roots: string[]): boolean {
  return roots.some((root) => path === root || path.startsWith(`${root}/`));
}
