import { mkdir, readdir, writeFile } from 'node:fs/promises';
import type { Workdir } from './runner-cli';

/** A small "application" to back up: config files, and a password file for restic. */
export async function makeStack(
  work: Workdir,
): Promise<{ app: string; passwordFile: string; repository: string; staging: string }> {
  const app = work.path('app');
  await mkdir(`${app}/etc`, { recursive: true });
  await writeFile(`${app}/.env`, 'TRACKER_TOKEN=abc\n', { mode: 0o600 });
  await writeFile(`${app}/etc/tracker.toml`, '[core]\nlisten = "0.0.0.0:6969"\n');
  const passwordFile = work.path('restic.pw');
  await writeFile(passwordFile, 'correct horse battery staple\n', { mode: 0o600 });
  return { app, passwordFile, repository: work.path('repo'), staging: work.path('staging') };
}

type Stack = Awaited<ReturnType<typeof makeStack>>;

/** The stack's restic repository as a spec target. */
export const stackTarget = (stack: Stack) => ({
  repository: stack.repository,
  password_file: stack.passwordFile,
});

/**
 * The `shop` database of a test MariaDB as a mysql source, read by the user `backup`; `auth` is
 * how it gets its password (password_file, password_command, password: { env }).
 */
export const shopSource = (port: number, auth: Record<string, unknown>) => ({
  type: 'mysql',
  database: 'shop',
  host: '127.0.0.1',
  port,
  user: 'backup',
  ...auth,
});

export function filesSpec(
  stack: Stack,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    version: 1,
    name: 'stack',
    host: 'test-host',
    sources: { config: { type: 'files', paths: [stack.app] } },
    staging: { dir: stack.staging },
    targets: { local: stackTarget(stack) },
    ...extra,
  };
}

/**
 * What a staging directory holds besides the runner's own bookkeeping (state file, listing
 * cache): runs (`current`, kept run ids), partial runs and a lock, sorted.
 */
export async function stagedRuns(staging: string): Promise<string[]> {
  const bookkeeping = new Set([
    'backup-yaml.state.json',
    'backup-yaml.state.json.lock',
    'snapshot-cache',
  ]);
  return (await readdir(staging)).filter((name) => !bookkeeping.has(name)).sort();
}
