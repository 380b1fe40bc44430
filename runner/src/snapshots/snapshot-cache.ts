import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResticListing } from '../restic/ls';
import type { ResticSnapshot } from '../restic/snapshots';

const FULL_ID = /^[0-9a-f]{64}$/;

/**
 * What restic said about a snapshot, kept on disk: its metadata, its manifest and the directory
 * levels `ls` has listed. Snapshots never change, and a snapshot id is the SHA-256 of the
 * stored (encrypted, randomly initialised) snapshot file, so no other snapshot in any repository
 * has it: an entry never goes stale, and no repository id is needed to key it, which is what
 * lets `ls` answer without reaching the repository at all.
 *
 * It lives under `<staging.dir>/snapshot-cache/<target>/<snapshot id>/`: the staging directory
 * is already private to the backup user and sized for this spec, the cache goes away with the
 * spec's staging, and cron or systemd runs (often without a HOME) and an interactive `sudo`
 * session share it. Entries of snapshots that `snapshots` no longer finds (retention) are
 * removed then. Every failure to write is ignored: the cache only saves restic calls.
 */
export class SnapshotCache {
  constructor(readonly dir: string) {}

  static forTarget(stagingDir: string, target: string): SnapshotCache {
    return new SnapshotCache(join(stagingDir, 'snapshot-cache', encodeName(target)));
  }

  readSnapshot(id: string): Promise<ResticSnapshot | undefined> {
    return this.readJson<ResticSnapshot>(id, 'snapshot.json');
  }

  writeSnapshot(snapshot: ResticSnapshot): Promise<void> {
    return this.write(snapshot.id, 'snapshot.json', JSON.stringify(snapshot));
  }

  async readManifestText(id: string): Promise<string | undefined> {
    if (!FULL_ID.test(id)) return undefined;
    return readFile(join(this.dir, id, 'manifest.json'), 'utf8').catch(() => undefined);
  }

  writeManifestText(id: string, text: string): Promise<void> {
    return this.write(id, 'manifest.json', text);
  }

  readListing(id: string, resticPath: string): Promise<ResticListing | undefined> {
    return this.readJson<ResticListing>(id, join('ls', `${pathKey(resticPath)}.json`));
  }

  writeListing(id: string, resticPath: string, listing: ResticListing): Promise<void> {
    return this.write(id, join('ls', `${pathKey(resticPath)}.json`), JSON.stringify(listing));
  }

  /** The cached snapshots whose id starts with `prefix`. */
  async idsWithPrefix(prefix: string): Promise<string[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    return names.filter((name) => FULL_ID.test(name) && name.startsWith(prefix));
  }

  /** Drops the entries of snapshots that are gone from the repository. */
  async keepOnly(ids: Set<string>): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    for (const name of names)
      if (FULL_ID.test(name) && !ids.has(name))
        await rm(join(this.dir, name), { recursive: true, force: true }).catch(() => undefined);
  }

  private async readJson<T>(id: string, file: string): Promise<T | undefined> {
    if (!FULL_ID.test(id)) return undefined;
    try {
      return JSON.parse(await readFile(join(this.dir, id, file), 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  private async write(id: string, file: string, text: string): Promise<void> {
    if (!FULL_ID.test(id)) return;
    const path = join(this.dir, id, file);
    const temporary = `${path}.${process.pid}.tmp`;
    try {
      await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
      await writeFile(temporary, text, { mode: 0o600 });
      await rename(temporary, path);
    } catch {
      await rm(temporary, { force: true }).catch(() => undefined);
    }
  }
}

function pathKey(resticPath: string): string {
  return createHash('sha256').update(resticPath).digest('hex').slice(0, 32);
}

/** A target name as a directory name (spec keys may hold any character). */
function encodeName(name: string): string {
  return encodeURIComponent(name).replace(/^\.+/, (dots) => '%2E'.repeat(dots.length));
}
