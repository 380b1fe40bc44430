import { existsSync } from 'node:fs';
import { chown, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { freePort, isPortOpen, LOOPBACK } from './ports';
import { killProcess, spawnServer, stopProcess } from './process';
import { inServerDir, launchWithPortRetry, waitUntilServing } from './start-up';

export interface Postgres {
  host: typeof LOOPBACK;
  port: number;
  /** The directory of the server's Unix socket: inside its temp dir, never /var/run. */
  socketDir: string;
  pid: number;
  /** The superuser (`postgres`) and its password; TCP logins need a password (scram-sha-256). */
  superuser: string;
  superuserPassword: string;
  /** e.g. "15.18" */
  version: string;
  /** Where initdb, pg_ctl and postgres were found. */
  binDir: string;
  dataDir: string;
  log: string;
  /**
   * Runs SQL as the superuser over the server's own socket; the SQL goes through stdin, never
   * argv, so a password in CREATE ROLE never shows in `ps`. Returns stdout (tab-separated, no
   * headers). Throws on a SQL error: this is test set-up.
   */
  sql(statements: string, database?: string): Promise<string>;
  /** The rows of a query, each an array of column strings. */
  rows(query: string, database?: string): Promise<string[][]>;
  /** Creates a login role with this password. */
  createUser(name: string, password: string): Promise<void>;
  /** SIGKILL, for tests of a server that dies mid-dump; stop() still cleans up. */
  crash(): Promise<void>;
  /** Stops the server by PID (SIGTERM, then SIGKILL) and removes its temporary directory. */
  stop(): Promise<void>;
}

/** A SQL string literal (standard_conforming_strings is on). */
export function pgString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A SQL identifier in double quotes. */
export function pgIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The directory of PostgreSQL's server programs: on PATH, else Debian's
 * /usr/lib/postgresql/<major>/bin (the newest), which Debian does not put on PATH.
 */
export async function findPostgresBinaries(): Promise<string> {
  const onPath = await execa('sh', ['-c', 'command -v initdb'], { reject: false });
  if (onPath.exitCode === 0 && onPath.stdout.trim() !== '') {
    const real = await execa('readlink', ['-f', onPath.stdout.trim()]);
    return join(real.stdout.trim(), '..');
  }
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? await readdir(root) : [];
  const newest = majors
    .filter((major) => existsSync(join(root, major, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))[0];
  if (newest === undefined)
    throw new Error('PostgreSQL is not installed (Debian: apt-get install postgresql)');
  return join(root, newest, 'bin');
}

/**
 * PostgreSQL refuses to run as root. A test running as root runs the server (and initdb) as
 * the `postgres` user Debian's package creates, through setpriv; the temp dir is handed to it.
 */
async function serverIdentity(): Promise<{ prefix: string[]; uid: number; gid: number } | null> {
  if (process.getuid?.() !== 0) return null;
  const uid = Number((await execa('id', ['-u', 'postgres'])).stdout);
  const gid = Number((await execa('id', ['-g', 'postgres'])).stdout);
  return { prefix: ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups'], uid, gid };
}

/** Starts a fresh PostgreSQL on 127.0.0.1 at a free port, with its own datadir and socket dir. */
export async function startPostgres(): Promise<Postgres> {
  const binDir = await findPostgresBinaries();
  const identity = await serverIdentity();
  return inServerDir('backup-yaml-postgres-', async (dir) => {
    if (identity) await chown(dir, identity.uid, identity.gid);
    const superuserPassword = `pg-super-${process.pid}-${Date.now()}`;
    const pwfile = join(dir, 'superuser.pw');
    await writeFile(pwfile, `${superuserPassword}\n`, { mode: 0o600 });
    if (identity) await chown(pwfile, identity.uid, identity.gid);
    const dataDir = join(dir, 'data');
    const run = (program: string, args: string[]) => {
      const argv = [...(identity?.prefix ?? []), join(binDir, program), ...args];
      return execa(argv[0] as string, argv.slice(1), { reject: false, all: true, cwd: dir });
    };
    const init = await run('initdb', [
      `--pgdata=${dataDir}`,
      '--username=postgres',
      `--pwfile=${pwfile}`,
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C',
      // Test data is disposable: no fsync on shared cores.
      '--no-sync',
    ]);
    await rm(pwfile, { force: true });
    if (init.exitCode !== 0) throw new Error(`initdb failed:\n${init.all}`);
    const version = /(\d+\.\d+)/.exec(
      (await execa(join(binDir, 'postgres'), ['--version'])).stdout,
    )?.[1];
    const log = join(dir, 'postgres.log');
    const server = await launchWithPortRetry(
      () => launch(dir, dataDir, binDir, identity?.prefix ?? [], log),
      log,
      40,
    );
    const { port, child, pid } = server;
    const psql = async (statements: string, database = 'postgres') => {
      const result = await execa(
        'psql',
        [
          '--no-psqlrc',
          `--host=${dir}`,
          `--port=${port}`,
          '--username=postgres',
          // As a connection string: a name with "=" would be taken for one otherwise.
          `--dbname=dbname='${database.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`,
          '--tuples-only',
          '--no-align',
          '--field-separator=\t',
          '--quiet',
          '--set=ON_ERROR_STOP=1',
        ],
        { input: statements, reject: false, env: { PGPASSFILE: join(dir, 'no-pgpass') } },
      );
      if (result.exitCode !== 0) throw new Error(`SQL failed: ${result.stderr}`);
      return result.stdout;
    };
    return {
      host: LOOPBACK,
      port,
      socketDir: dir,
      pid,
      superuser: 'postgres',
      superuserPassword,
      version: version ?? 'unknown',
      binDir,
      dataDir,
      log,
      sql: psql,
      rows: async (query, database) => {
        const out = await psql(query, database);
        return out === '' ? [] : out.split('\n').map((line) => line.split('\t'));
      },
      createUser: async (name, password) => {
        await psql(`CREATE ROLE ${pgIdentifier(name)} LOGIN PASSWORD ${pgString(password)};`);
      },
      crash: () => killProcess(child),
      stop: async () => {
        await stopProcess(child);
        await rm(dir, { recursive: true, force: true });
      },
    } satisfies Postgres;
  });
}

async function launch(dir: string, dataDir: string, binDir: string, prefix: string[], log: string) {
  const port = await freePort();
  // setpriv execs the server: the PID we own is the postmaster's.
  const argv = [
    ...prefix,
    join(binDir, 'postgres'),
    '-D',
    dataDir,
    '-c',
    `listen_addresses=${LOOPBACK}`,
    '-c',
    `port=${port}`,
    '-c',
    `unix_socket_directories=${dir}`,
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'shared_buffers=32MB',
    '-c',
    'max_connections=30',
  ];
  const server = spawnServer(argv[0] as string, argv.slice(1), log);
  await waitUntilServing(
    server,
    async () =>
      existsSync(join(dir, `.s.PGSQL.${port}`)) &&
      (await isPortOpen(port)) &&
      // The socket is there before recovery ends; pg_isready waits for "accepting connections".
      (await execa(join(binDir, 'pg_isready'), ['-q', `--host=${dir}`, `--port=${port}`], {
        reject: false,
      }).then((r) => r.exitCode === 0)),
    `postgres on ${LOOPBACK}:${port}`,
  );
  return { port, child: server.child, pid: server.pid };
}
