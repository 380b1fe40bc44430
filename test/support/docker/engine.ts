import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { execa } from 'execa';
import type { Options } from 'execa';

/**
 * The private Docker engine the test command started (scripts/docker-for-tests.mjs): its socket
 * in DOCKER_HOST, Debian's docker client (/usr/local/bin/docker on our machines is a newer one
 * without buildx or compose) first on PATH, for the tests and for the runners they start.
 */
export function dockerEnv(): Record<string, string> {
  const failure = process.env.BACKUP_YAML_DOCKER_ERROR;
  if (failure) throw new Error(failure);
  const host = process.env.DOCKER_HOST;
  if (!host)
    throw new Error(
      'DOCKER_HOST is not set: run the Docker tests through `npm test -- test/docker`, which starts the engine',
    );
  return { DOCKER_HOST: host, PATH: `/usr/sbin:/usr/bin:/sbin:/bin:${process.env.PATH ?? ''}` };
}

export const DOCKER = '/usr/bin/docker';

export interface DockerResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** `docker ARGS...`; rejects on a non-zero exit unless `check` is false. */
export async function docker(
  args: string[],
  options: Options & { check?: boolean } = {},
): Promise<DockerResult> {
  const { check = true, ...rest } = options;
  const result = await execa(DOCKER, args, {
    reject: false,
    ...(rest.input === undefined ? { stdin: 'ignore' as const } : {}),
    ...rest,
    env: { ...dockerEnv(), ...(rest.env ?? {}) },
  });
  const outcome = {
    exitCode: result.exitCode ?? -1,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
  };
  if (check && outcome.exitCode !== 0)
    throw new Error(`docker ${args.join(' ')} exited ${outcome.exitCode}: ${outcome.stderr}`);
  return outcome;
}

/** A name no other test uses, for containers, volumes and Compose projects this test owns. */
export function ownedName(what: string): string {
  return `byt-${what}-${randomBytes(3).toString('hex')}`;
}

/** Removes containers and volumes by the names the test gave them; missing ones are fine. */
export async function removeOwned(containers: string[], volumes: string[] = []): Promise<void> {
  if (containers.length > 0) await docker(['rm', '-f', '-v', ...containers], { check: false });
  if (volumes.length > 0) await docker(['volume', 'rm', '-f', ...volumes], { check: false });
}

/** The images scripts/docker-images.sh makes. */
export const IMAGES = {
  runner: 'backup-yaml/backup-runner:test',
  mariadb: 'mariadb:10.11',
  postgres: 'postgres:15',
  tracker: 'torrust/tracker:develop',
} as const;

/**
 * Runs `probe` in the container until it exits 0; gives up, with the container's last log
 * lines, when the container exits first, and after `boundMs` (a guard, not a timing assertion).
 */
export async function waitContainerReady(
  name: string,
  probe: string[],
  boundMs = 120_000,
): Promise<void> {
  const until = Date.now() + boundMs;
  while (Date.now() < until) {
    if ((await docker(['exec', name, ...probe], { check: false })).exitCode === 0) return;
    const running = await docker(['inspect', '-f', '{{.State.Running}}', name], { check: false });
    if (running.stdout.trim() === 'false') {
      const logs = await docker(['logs', '--tail', '30', name], { check: false });
      throw new Error(`container ${name} exited while starting:\n${logs.stdout}${logs.stderr}`);
    }
    await delay(200);
  }
  throw new Error(`container ${name} did not become ready`);
}
