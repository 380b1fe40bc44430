import { existsSync } from 'node:fs';
import { cp, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { freePort, isPortOpen, LOOPBACK } from './ports';
import { killProcess, spawnServer, stopProcess } from './process';
import { inServerDir, launchWithPortRetry, waitUntilServing } from './start-up';

export interface MariaDbOptions {
  /** Extra mariadbd options, e.g. a larger buffer pool for a benchmark. */
  extraArgs?: string[];
}

export interface MariaDb {
  host: typeof LOOPBACK;
  port: number;
  /** The server's own Unix socket (the admin connection uses it). */
  socket: string;
  pid: number;
  /** e.g. "10.11.19-MariaDB-0+deb12u1" */
  version: string;
  dataDir: string;
  errorLog: string;
  /**
   * Runs SQL as root over the socket; the SQL goes through stdin, never argv, so a password in a
   * CREATE USER never shows in `ps`. Returns stdout (tab-separated, no column names). Throws on
   * a SQL error: this is test set-up.
   */
  sql(statements: string, database?: string): Promise<string>;
  /** The rows of a query, each an array of column strings. */
  rows(query: string, database?: string): Promise<string[][]>;
  /** Loads a SQL file (a dump) into a database as root. */
  loadFile(path: string, database: string): Promise<void>;
  /** Creates `name` at '%' and 'localhost' with this password and `GRANT grants ON on`. */
  createUser(name: string, password: string, grants: string, on?: string): Promise<void>;
  /** SIGKILL, for tests of a server that dies mid-dump; stop() still cleans up. */
  crash(): Promise<void>;
  /** Stops the server by PID (SIGTERM, then SIGKILL) and removes its temporary directory. */
  stop(): Promise<void>;
}

const client = 'mariadb';

/** A SQL string literal. */
export function sqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Starts a fresh MariaDB on 127.0.0.1 with its own datadir, port and socket. */
export async function startMariaDb(options: MariaDbOptions = {}): Promise<MariaDb> {
  const template = await templateDataDir();
  return inServerDir('backup-yaml-mariadb-', async (dir) => {
    const dataDir = join(dir, 'data');
    await cp(template.path, dataDir, { recursive: true });
    return await launchWithPortRetry(
      () => launch(dir, dataDir, template.version, options),
      join(dir, 'error.log'),
      40,
    );
  });
}

async function launch(
  dir: string,
  dataDir: string,
  version: string,
  options: MariaDbOptions,
): Promise<MariaDb> {
  const port = await freePort();
  const socket = join(dir, 'mysqld.sock');
  const errorLog = join(dir, 'error.log');
  const server = spawnServer(
    '/usr/sbin/mariadbd',
    [
      '--no-defaults',
      `--datadir=${dataDir}`,
      '--user=root',
      `--bind-address=${LOOPBACK}`,
      `--port=${port}`,
      `--socket=${socket}`,
      `--pid-file=${join(dir, 'mysqld.pid')}`,
      `--log-error=${errorLog}`,
      `--tmpdir=${dir}`,
      '--skip-name-resolve',
      // Test data is disposable: trade durability for speed on shared cores.
      '--innodb-flush-log-at-trx-commit=2',
      '--innodb-doublewrite=0',
      '--innodb-buffer-pool-size=128M',
      '--max-allowed-packet=64M',
      ...(options.extraArgs ?? []),
    ],
    join(dir, 'stderr.log'),
  );
  await waitUntilServing(
    server,
    async () => existsSync(socket) && (await isPortOpen(port)),
    `mariadbd on ${LOOPBACK}:${port}`,
  );

  const run = async (statements: string, database?: string) => {
    const result = await execa(
      client,
      [
        '--no-defaults',
        `--socket=${socket}`,
        '--user=root',
        '--batch',
        '--skip-column-names',
        ...(database === undefined ? [] : [`--database=${database}`]),
      ],
      { input: statements, reject: false },
    );
    if (result.exitCode !== 0) throw new Error(`SQL failed: ${result.stderr}`);
    return result.stdout;
  };
  return {
    host: LOOPBACK,
    port,
    socket,
    pid: server.pid,
    version,
    dataDir,
    errorLog,
    sql: run,
    rows: async (query, database) => {
      const out = await run(query, database);
      return out === '' ? [] : out.split('\n').map((line) => line.split('\t'));
    },
    loadFile: async (path, database) => {
      const result = await execa(
        client,
        ['--no-defaults', `--socket=${socket}`, '--user=root', `--database=${database}`],
        { inputFile: path, reject: false },
      );
      if (result.exitCode !== 0) throw new Error(`loading ${path} failed: ${result.stderr}`);
    },
    createUser: async (name, password, grants, on = '*.*') => {
      const statements = ['%', 'localhost'].map(
        (host) =>
          `CREATE USER ${sqlString(name)}@${sqlString(host)} IDENTIFIED BY ${sqlString(password)};` +
          ` GRANT ${grants} ON ${on} TO ${sqlString(name)}@${sqlString(host)};`,
      );
      await run(statements.join('\n'));
    },
    crash: () => killProcess(server.child),
    stop: async () => {
      await stopProcess(server.child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

interface Template {
  path: string;
  version: string;
}

/**
 * An initialised datadir, made once per MariaDB version under the OS temp dir and copied for each
 * server: mariadb-install-db takes ~0.7 s, a copy ~0.07 s. Built aside and renamed into place,
 * so concurrent test files never see a half-made template.
 */
async function templateDataDir(): Promise<Template> {
  const { stdout } = await execa('/usr/sbin/mariadbd', ['--version']);
  const version = /Ver\s+(\S+)/.exec(stdout)?.[1] ?? 'unknown';
  const path = join(tmpdir(), `backup-yaml-mariadb-template-${version}`);
  const marker = join(path, '.backup-yaml-template');
  if (existsSync(marker)) return { path, version };

  const work = await mkdtemp(join(tmpdir(), 'backup-yaml-mariadb-init-'));
  try {
    const data = join(work, 'data');
    const result = await execa(
      'mariadb-install-db',
      [
        '--no-defaults',
        `--datadir=${data}`,
        '--user=root',
        // root@localhost without a password: the admin connection of tests, over the socket.
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        '--innodb-log-file-size=16M',
      ],
      { reject: false, all: true },
    );
    if (result.exitCode !== 0) throw new Error(`mariadb-install-db failed:\n${result.all}`);
    await writeFile(join(data, '.backup-yaml-template'), `${version}\n`);
    await rename(data, path).catch((error: NodeJS.ErrnoException) => {
      // Another test file won the race; its template is as good as ours.
      if (!existsSync(marker)) throw error;
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return { path, version };
}
