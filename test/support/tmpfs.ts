import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

export interface SmallDisk {
  /** The mount point: a file system of its own with `bytes` of room. */
  dir: string;
  unmount(): Promise<void>;
}

/**
 * A small file system of its own, to fill up: a tmpfs (tests run as root), or where tmpfs
 * cannot be mounted an ext4 image on a loop device. Unmounted and removed by unmount().
 */
export async function mountSmallDisk(bytes: number): Promise<SmallDisk> {
  const base = await mkdtemp(join(tmpdir(), 'backup-yaml-disk-'));
  const dir = join(base, 'mnt');
  await execa('mkdir', ['-p', dir]);
  const tmpfs = await execa(
    'mount',
    ['-t', 'tmpfs', '-o', `size=${bytes},mode=0755`, 'tmpfs', dir],
    {
      reject: false,
    },
  );
  if (tmpfs.exitCode !== 0) {
    const image = join(base, 'disk.img');
    await execa('truncate', ['-s', String(bytes), image]);
    await execa('mkfs.ext4', ['-q', '-m', '0', image]);
    await execa('mount', ['-o', 'loop', image, dir]);
  }
  return {
    dir,
    async unmount() {
      await execa('umount', [dir], { reject: false });
      await rm(base, { recursive: true, force: true });
    },
  };
}

/** Fills a file system to the last byte with one file (ENOSPC is expected and ignored). */
export async function fillDisk(dir: string, name = 'filler'): Promise<string> {
  const path = join(dir, name);
  // The path is an argument of the shell, never part of its script.
  await execa('sh', ['-c', 'cat /dev/zero > "$1" 2>/dev/null; true', 'sh', path]);
  return path;
}
