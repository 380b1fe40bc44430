import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, isPortOpen, LOOPBACK } from './ports';
import { spawnServer, stopProcess } from './process';
import { inServerDir, launchWithPortRetry, waitUntilServing } from './start-up';

export interface RestServerOptions {
  /**
   * Require HTTP basic auth: `true` makes up a user name and password, or give your own.
   * restic 0.14 takes REST credentials only inside the URL (`rest:http://user:pass@host:port/`);
   * RESTIC_REST_USERNAME/RESTIC_REST_PASSWORD are ignored by it (checked against 0.14.0). Keep
   * such a URL out of argv: pass it in RESTIC_REPOSITORY or through --repository-file.
   */
  auth?: boolean | { username: string; password: string };
}

export interface RestServer {
  /** `rest:http://127.0.0.1:<port>/` — the root repository, without credentials. */
  url: string;
  /** The same URL with `user:password@` when auth is on, else the same as `url`. */
  authenticatedUrl: string;
  credentials?: { username: string; password: string };
  /** A repository under its own path on this server, e.g. `rest:http://…/<name>/`. */
  repositoryUrl(name: string, options?: { withCredentials?: boolean }): string;
  port: number;
  /** Where rclone stores the repositories (removed by stop()). */
  dataDir: string;
  pid: number;
  /** Stops rclone by PID (SIGTERM, then SIGKILL) and removes its temporary directory. */
  stop(): Promise<void>;
}

/** Starts `rclone serve restic` (restic's REST protocol) on 127.0.0.1 over a temp directory. */
export async function startRestServer(options: RestServerOptions = {}): Promise<RestServer> {
  return inServerDir('backup-yaml-rest-', async (dir) => {
    const dataDir = join(dir, 'data');
    await mkdir(dataDir);
    const credentials =
      options.auth === true
        ? { username: 'restic', password: randomBytes(12).toString('base64url') }
        : options.auth || undefined;
    return await launchWithPortRetry(
      () => launch(dir, dataDir, credentials),
      join(dir, 'rclone.log'),
    );
  });
}

async function launch(
  dir: string,
  dataDir: string,
  credentials: RestServer['credentials'],
): Promise<RestServer> {
  const port = await freePort();
  const rcloneConfig = join(dir, 'rclone.conf');
  await writeFile(rcloneConfig, '');
  const authArgs: string[] = [];
  if (credentials !== undefined) {
    // An htpasswd file ({SHA} form, which rclone accepts) keeps the password out of rclone's argv.
    const htpasswd = join(dir, 'htpasswd');
    const digest = createHash('sha1').update(credentials.password).digest('base64');
    await writeFile(htpasswd, `${credentials.username}:{SHA}${digest}\n`, { mode: 0o600 });
    authArgs.push('--htpasswd', htpasswd);
  }
  const server = spawnServer(
    'rclone',
    [
      'serve',
      'restic',
      '--config',
      rcloneConfig,
      '--cache-dir',
      join(dir, 'cache'),
      '--addr',
      `${LOOPBACK}:${port}`,
      ...authArgs,
      dataDir,
    ],
    join(dir, 'rclone.log'),
  );
  await waitUntilServing(
    server,
    () => isPortOpen(port),
    `rclone serve restic on ${LOOPBACK}:${port}`,
  );

  const base = (withCredentials: boolean) => {
    const userInfo =
      withCredentials && credentials !== undefined
        ? `${encodeURIComponent(credentials.username)}:${encodeURIComponent(credentials.password)}@`
        : '';
    return `rest:http://${userInfo}${LOOPBACK}:${port}/`;
  };
  return {
    url: base(false),
    authenticatedUrl: base(true),
    ...(credentials === undefined ? {} : { credentials }),
    repositoryUrl: (name, { withCredentials = true } = {}) =>
      `${base(withCredentials)}${encodeURIComponent(name)}/`,
    port,
    dataDir,
    pid: server.pid,
    stop: async () => {
      await stopProcess(server.child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
