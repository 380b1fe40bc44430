import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { processStartTime, stillRunning } from '../process/process-identity';

/** Inside each scratch directory: who made it, so a later command can tell a leftover. */
const OWNER_FILE = '.backup-yaml-owner.json';

interface ScratchOwner {
  pid: number;
  host: string;
  processStart?: string;
}

/**
 * A fresh private directory in `parent` for a restore or a drill, marked with its owner. A
 * restore or verify killed with -9 leaves one behind (a hidden directory that would make the
 * destination "not empty", and a full copy in staging); the next command that makes one in the
 * same place removes those whose owner is gone.
 */
export async function makeScratchDir(parent: string, prefix: string): Promise<string> {
  await removeLeftovers(parent, prefix);
  const dir = await mkdtemp(join(parent, prefix));
  const start = await processStartTime(process.pid);
  const owner: ScratchOwner = {
    pid: process.pid,
    host: hostname(),
    ...(start ? { processStart: start } : {}),
  };
  await writeFile(join(dir, OWNER_FILE), JSON.stringify(owner), { mode: 0o600 });
  return dir;
}

/** Scratch directories of dead owners on this host (and unmarked ones, from older runners). */
export async function removeLeftovers(parent: string, prefix: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(parent).catch(() => [] as string[])) {
    if (!name.startsWith(prefix)) continue;
    const dir = join(parent, name);
    if (await ownerLives(dir)) continue;
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    removed.push(dir);
  }
  return removed;
}

async function ownerLives(dir: string): Promise<boolean> {
  try {
    const owner = JSON.parse(await readFile(join(dir, OWNER_FILE), 'utf8')) as ScratchOwner;
    if (owner.host !== hostname()) return true;
    return await stillRunning(owner.pid, owner.processStart);
  } catch {
    // No owner file: made by a runner before this one, or killed between mkdtemp and the
    // write; either way nothing is using it now.
    return false;
  }
}
