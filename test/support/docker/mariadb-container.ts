import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IMAGES, docker, waitContainerReady } from './engine';

export interface MariaDbContainer {
  name: string;
  port: number;
  /** SQL through the container's own client as root (socket authentication, no password). */
  sql(statement: string, database?: string): Promise<string>;
}

/**
 * A MariaDB container (the mariadb:10.11 stand-in) on host networking, listening on 127.0.0.1
 * only. The root password reaches it as a file (MARIADB_ROOT_PASSWORD_FILE), and `initSql` runs
 * at first start from /docker-entrypoint-initdb.d, as with the official image.
 */
export async function startMariaDbContainer(options: MariaDbOptions): Promise<MariaDbContainer> {
  const container = await runMariaDbContainer(options);
  await waitHealthy(options.name);
  return container;
}

export interface MariaDbOptions {
  name: string;
  port: number;
  dir: string;
  rootPassword: string;
  database: string;
  initSql: string;
  /** More files for /docker-entrypoint-initdb.d, by name (`*.sql` or `*.sh`), run after initSql. */
  initFiles?: Record<string, string>;
}

/** `docker run` of the container, without waiting for it to be ready. */
export async function runMariaDbContainer(options: MariaDbOptions): Promise<MariaDbContainer> {
  const secrets = join(options.dir, 'secrets');
  const init = join(options.dir, 'initdb');
  await mkdir(secrets, { recursive: true });
  await mkdir(init, { recursive: true });
  await writeFile(join(secrets, 'root.pw'), options.rootPassword, { mode: 0o644 });
  await writeFile(join(init, '10-schema.sql'), options.initSql, { mode: 0o644 });
  for (const [file, text] of Object.entries(options.initFiles ?? {}))
    await writeFile(join(init, file), text, { mode: 0o644 });
  await docker([
    'run',
    '-d',
    '--name',
    options.name,
    '--network=host',
    '-e',
    'MARIADB_ROOT_PASSWORD_FILE=/run/secrets/mariadb-root',
    '-e',
    `MARIADB_DATABASE=${options.database}`,
    '-v',
    `${join(secrets, 'root.pw')}:/run/secrets/mariadb-root:ro`,
    '-v',
    `${init}:/docker-entrypoint-initdb.d:ro`,
    IMAGES.mariadb,
    `--port=${options.port}`,
    '--bind-address=127.0.0.1',
  ]);
  const container: MariaDbContainer = {
    name: options.name,
    port: options.port,
    sql: async (statement, database) =>
      (
        await docker(
          [
            'exec',
            '-i',
            options.name,
            'mariadb',
            '-uroot',
            '-N',
            '-B',
            ...(database ? [database] : []),
          ],
          { input: statement },
        )
      ).stdout,
  };
  return container;
}

/**
 * Polls the image's healthcheck.sh (which Compose's `service_healthy` uses too) until the real
 * server answers, not the temporary one of the first start; gives up when the container exits.
 */
export async function waitHealthy(name: string): Promise<void> {
  await waitContainerReady(name, ['healthcheck.sh']);
}
