import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { trackerDatabase } from '../pipeline/tracker-db';

const root = join(import.meta.dirname, '..', '..');
export const runner = join(root, 'runner', 'bin', 'backup-runner.cjs');

/** A spec with one SQLite source, its repository holding one snapshot of it. */
export interface Workspace {
  dir: string;
  spec: string;
  /** The live database: the source's path, and where --in-place puts the restored one. */
  database: string;
  repositoryEnv: Record<string, string>;
  snapshotId: string;
  /** The database's path inside the snapshot (for restic restore --include). */
  pathInSnapshot: string;
  /** Where each contender writes; emptied between them. */
  out: string;
}

export async function createWorkspace(
  sizeMb: number,
  log: (line: string) => void,
): Promise<Workspace> {
  const cache = join(root, '.cache', 'bench-pipeline');
  const dir = join(root, '.cache', 'bench-restore', `work-${sizeMb}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'live'), { recursive: true });
  mkdirSync(cache, { recursive: true });
  log(`building or reusing a ${sizeMb} MiB tracker database under ${cache}…`);
  const template = trackerDatabase(cache, sizeMb);
  const database = join(dir, 'live', 'tracker.db');
  copyFileSync(template, database);

  const passwordFile = join(dir, 'restic.pw');
  writeFileSync(passwordFile, 'bench\n', { mode: 0o600 });
  const repository = join(dir, 'repo');
  const repositoryEnv = { RESTIC_REPOSITORY: repository, RESTIC_PASSWORD_FILE: passwordFile };
  await execa('restic', ['init'], { env: repositoryEnv });
  const spec = join(dir, 'backup.yaml');
  writeFileSync(
    spec,
    [
      'version: 1',
      'name: bench-restore',
      `host: ${hostname()}`,
      'sources:',
      `  tracker-db: { type: sqlite, path: ${database}, integrity_check: full }`,
      `staging: { dir: ${join(dir, 'staging')} }`,
      'targets:',
      `  local: { repository: ${repository}, password_file: ${passwordFile} }`,
      'retention: { keep_last: 30 }',
      '',
    ].join('\n'),
  );
  log('backing it up once with backup-runner run…');
  await execa('node', [runner, 'run', '-c', spec]);
  const { snapshotId, pathInSnapshot } = await findDatabase(repositoryEnv);
  const out = join(dir, 'out');
  mkdirSync(out);
  return { dir, spec, database, repositoryEnv, snapshotId, pathInSnapshot, out };
}

/** The snapshot and the database file in it: the one regular file named tracker.db. */
async function findDatabase(env: Record<string, string>) {
  const listed = await execa('restic', ['ls', 'latest', '--json'], { env });
  const lines = String(listed.stdout).split('\n').filter(Boolean);
  const snapshot = JSON.parse(lines[0] ?? '{}') as { id?: string };
  const file = lines
    .slice(1)
    .map((line) => JSON.parse(line) as { type?: string; name?: string; path?: string })
    .find((node) => node.type === 'file' && node.name === 'tracker.db');
  if (!snapshot.id || !file?.path) throw new Error('the snapshot holds no tracker.db');
  return { snapshotId: snapshot.id, pathInSnapshot: file.path };
}
