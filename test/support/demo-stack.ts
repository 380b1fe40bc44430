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

export function filesSpec(
  stack: { app: string; passwordFile: string; repository: string; staging: string },
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    version: 1,
    name: 'stack',
    host: 'test-host',
    sources: { config: { type: 'files', paths: [stack.app] } },
    staging: { dir: stack.staging },
    targets: { local: { repository: stack.repository, password_file: stack.passwordFile } },
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
