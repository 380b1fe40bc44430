import { join } from 'node:path';
import { execa } from 'execa';
import type { Workspace } from './workspace';
import { runner } from './workspace';

/** One way of getting the database back (or checking that one can), timed. */
export interface Contender {
  name: string;
  run(ws: Workspace, env?: Record<string, string>): Promise<void>;
}

async function ours(ws: Workspace, args: string[], env: Record<string, string> = {}) {
  const run = await execa('node', [runner, ...args, '-c', ws.spec], { reject: false, env });
  if (run.exitCode !== 0)
    throw new Error(`backup-runner ${args[0]} failed: ${run.stdout}${run.stderr}`);
}

async function resticRestore(ws: Workspace, target: string): Promise<string> {
  await execa(
    'restic',
    ['restore', ws.snapshotId, '--target', target, '--include', ws.pathInSnapshot],
    { env: ws.repositoryEnv },
  );
  return join(target, ws.pathInSnapshot);
}

/** The check our integrity step runs, done directly (pages read through a memory map, as ours). */
async function integrityCheck(file: string): Promise<void> {
  const check = await execa('sqlite3', [
    file,
    'PRAGMA mmap_size=2147418112;',
    'PRAGMA integrity_check(20);',
  ]);
  if (String(check.stdout).split('\n').at(-1)?.trim() !== 'ok')
    throw new Error(`integrity_check: ${check.stdout}`);
}

export const contenders = {
  resticRestore: {
    name: 'restic restore (the floor)',
    run: async (ws) => void (await resticRestore(ws, join(ws.out, 'restic'))),
  },
  cp: {
    name: 'cp of the database',
    run: async (ws) => void (await execa('cp', [ws.database, join(ws.out, 'cp.db')])),
  },
  restoreTo: {
    name: 'ours: restore --to DIR',
    run: (ws, env) =>
      ours(
        ws,
        ['restore', ws.snapshotId, '--source', 'tracker-db', '--to', join(ws.out, 'ours')],
        env,
      ),
  },
  restoreInPlace: {
    name: 'ours: restore --in-place',
    run: (ws, env) =>
      ours(ws, ['restore', ws.snapshotId, '--source', 'tracker-db', '--in-place'], env),
  },
  verify: {
    name: 'ours: verify',
    run: (ws, env) => ours(ws, ['verify', ws.snapshotId], env),
  },
  restoreAndCheck: {
    name: 'restic restore + integrity_check',
    run: async (ws) => integrityCheck(await resticRestore(ws, join(ws.out, 'checked'))),
  },
} satisfies Record<string, Contender>;
