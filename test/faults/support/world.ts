import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Workdir } from '../../support/runner-cli';
import { makeWorkdir } from '../../support/runner-cli';
import type { MariaDb, Postgres, RestServer, Sshd } from '../../support/servers/index';
import type { SmallDisk } from '../../support/tmpfs';
import { mountSmallDisk } from '../../support/tmpfs';

export interface TargetAccess {
  name: string;
  /** The environment and flags plain restic needs to read this target in assertions. */
  env: Record<string, string>;
  args: string[];
  /** A local repository's directory (its locks/ can be looked at), when it is one. */
  dir?: string;
}

/** One backed-up stack: its spec, targets and data, and how to change the data between runs. */
export interface World {
  name: string;
  work: Workdir;
  spec: string;
  staging: string;
  archiveDir?: string;
  /** Where notify.status_file and notify.metrics_file are written, when the spec has them. */
  notifyDir?: string;
  targets: TargetAccess[];
  /** retention.keep_last of the spec: the newest keep_last - 1 snapshots are never forgotten. */
  keepLast: number;
  /** The MySQL source's database and the server's socket (root logs in there), if any. */
  mysql?: { database: string; socket: string };
  /** The PostgreSQL source's database and its server (the superuser logs in on its socket). */
  postgres?: { database: string; server: Postgres };
  /** The same spec with changes, for one fault (a faster or slower variant, a broken source). */
  variant(extra: Record<string, unknown>, name: string): Promise<string>;
  /** New data in the sources, so the next run has work to do. */
  change(): Promise<void>;
  cleanup(): Promise<void>;
}

interface WorldParts {
  name: string;
  mysql?: { database: string; socket: string };
  postgres?: { database: string; server: Postgres };
  work: Workdir;
  base: Record<string, unknown>;
  staging: string;
  archiveDir?: string;
  notifyDir?: string;
  targets: TargetAccess[];
  change: () => Promise<void>;
  cleanup?: () => Promise<void>;
}

function assemble(parts: WorldParts): World {
  const write = (spec: Record<string, unknown>, file: string) => parts.work.writeSpec(spec, file);
  return {
    name: parts.name,
    work: parts.work,
    spec: '',
    staging: parts.staging,
    ...(parts.archiveDir ? { archiveDir: parts.archiveDir } : {}),
    ...(parts.notifyDir ? { notifyDir: parts.notifyDir } : {}),
    targets: parts.targets,
    keepLast: 3,
    ...(parts.mysql ? { mysql: parts.mysql } : {}),
    ...(parts.postgres ? { postgres: parts.postgres } : {}),
    variant: (extra, name) => write({ ...parts.base, ...extra }, `${name}.yaml`),
    change: parts.change,
    cleanup: async () => {
      await parts.cleanup?.();
      await parts.work.cleanup();
    },
  };
}

async function withSpec(parts: WorldParts): Promise<World> {
  const world = assemble(parts);
  world.spec = await parts.work.writeSpec(parts.base, 'backup.yaml');
  return world;
}

async function passwordFile(work: Workdir): Promise<string> {
  const path = work.path('restic.pw');
  await writeFile(path, `${randomBytes(16).toString('hex')}\n`, { mode: 0o600 });
  return path;
}

function localTarget(name: string, repository: string, password: string): TargetAccess {
  return {
    name,
    env: { RESTIC_REPOSITORY: repository, RESTIC_PASSWORD_FILE: password },
    args: [],
    dir: repository,
  };
}

/**
 * The tracker: MySQL, SQLite and files (with an 8 MB blob that changes every run), and a
 * PostgreSQL source `ledger` when a server is given.
 */
export async function trackerWorld(name: string, db: MariaDb, pg?: Postgres): Promise<World> {
  const work = await makeWorkdir(`backup-yaml-faults-${name}-`);
  const database = name.replace(/\W/g, '_');
  await db.sql(
    `CREATE DATABASE ${database}; CREATE TABLE ${database}.items (id INT PRIMARY KEY AUTO_INCREMENT, payload TEXT);`,
  );
  await db.sql(
    `INSERT INTO items (payload) SELECT REPEAT(MD5(seq), 8) FROM seq_1_to_3000`,
    database,
  );
  await db.createUser(
    `backup_${database}`,
    'mysql-fault-pw',
    'SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES',
    `${database}.*`,
  );
  const mysqlPassword = work.path('mysql.pw');
  await writeFile(mysqlPassword, 'mysql-fault-pw\n', { mode: 0o600 });
  const app = work.path('app');
  await mkdir(app, { recursive: true });
  await writeFile(join(app, 'tracker.toml'), '[core]\nlisten = "0.0.0.0:6969"\n');
  const sqlite = work.path('tracker.db');
  await execa('sqlite3', [
    sqlite,
    'PRAGMA journal_mode=WAL; CREATE TABLE torrents (id INTEGER PRIMARY KEY, hash BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO torrents (hash) SELECT randomblob(500) FROM n;',
  ]);
  const ledger = pg ? await ledgerSource(work, pg, database) : undefined;
  const password = await passwordFile(work);
  const repository = work.path('repo');
  await execa('restic', ['init'], {
    env: { RESTIC_REPOSITORY: repository, RESTIC_PASSWORD_FILE: password },
  });
  const staging = work.path('staging');
  const archiveDir = work.path('archives');
  const change = async () => {
    await writeFile(join(app, 'blob.bin'), randomBytes(8 * 1024 * 1024));
    await execa('sqlite3', [
      sqlite,
      'INSERT INTO torrents (hash) SELECT randomblob(500) FROM torrents LIMIT 50;',
    ]);
  };
  await change();
  return withSpec({
    name,
    mysql: { database, socket: db.socket },
    ...(pg ? { postgres: { database, server: pg } } : {}),
    work,
    staging,
    archiveDir,
    targets: [localTarget('local', repository, password)],
    change,
    base: {
      version: 1,
      name,
      host: 'fault-host',
      lock_wait: '60s',
      sources: {
        shop: {
          type: 'mysql',
          database,
          host: db.host,
          port: db.port,
          user: `backup_${database}`,
          password_file: mysqlPassword,
        },
        'tracker-db': { type: 'sqlite', path: sqlite },
        config: { type: 'files', paths: [app] },
        ...(ledger ? { ledger } : {}),
      },
      staging: { dir: staging },
      archive: { dir: archiveDir, format: 'tar.zst', keep_within: '1h' },
      targets: { local: { repository, password_file: password } },
      retention: { keep_last: 3, prune: false },
    },
  });
}

/** A database `database` on `pg` with a table `items`, and the source that dumps it. */
async function ledgerSource(work: Workdir, pg: Postgres, database: string) {
  await pg.sql(`CREATE DATABASE ${database};`);
  await pg.sql(
    'CREATE TABLE items (id serial PRIMARY KEY, payload text); INSERT INTO items (payload) SELECT repeat(md5(g::text), 8) FROM generate_series(1, 3000) g;',
    database,
  );
  await pg.createUser(`backup_${database}`, 'postgres-fault-pw');
  await pg.sql(`GRANT pg_read_all_data TO backup_${database};`);
  const passwordPath = work.path('postgres.pw');
  await writeFile(passwordPath, 'postgres-fault-pw\n', { mode: 0o600 });
  return {
    type: 'postgres',
    database,
    host: pg.host,
    port: pg.port,
    user: `backup_${database}`,
    password_file: passwordPath,
  };
}

/** Small file systems of their own for staging, archive and repository, to fill up. */
export async function disksWorld(): Promise<World> {
  const work = await makeWorkdir('backup-yaml-faults-disks-');
  const disks: SmallDisk[] = [];
  const mount = async (bytes: number) => {
    const disk = await mountSmallDisk(bytes);
    disks.push(disk);
    return disk.dir;
  };
  const MiB = 1024 * 1024;
  const [staging, archiveDir, repoDisk, notifyDir] = [
    await mount(16 * MiB),
    await mount(48 * MiB),
    await mount(48 * MiB),
    await mount(1 * MiB),
  ];
  const sqlite = work.path('random.db');
  // ~2 MB that compress to nothing less, so archive and repository really fill.
  await execa('sqlite3', [
    sqlite,
    'CREATE TABLE t (x BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) INSERT INTO t SELECT randomblob(4000) FROM n;',
  ]);
  const password = await passwordFile(work);
  const repository = join(repoDisk, 'repo');
  await execa('restic', ['init'], {
    env: { RESTIC_REPOSITORY: repository, RESTIC_PASSWORD_FILE: password },
  });
  return withSpec({
    name: 'disks',
    work,
    staging: join(staging, 'staging'),
    archiveDir,
    notifyDir,
    targets: [localTarget('local', repository, password)],
    change: () =>
      execa('sqlite3', [sqlite, 'UPDATE t SET x = randomblob(4000) WHERE rowid % 10 = 0;']).then(
        () => undefined,
      ),
    cleanup: async () => {
      for (const disk of disks) await disk.unmount();
    },
    base: {
      version: 1,
      name: 'disks',
      sources: { db: { type: 'sqlite', path: sqlite } },
      staging: { dir: join(staging, 'staging') },
      archive: { dir: archiveDir, format: 'tar.zst', keep_within: '1h' },
      targets: { local: { repository, password_file: password } },
      retention: { keep_last: 3, prune: false },
      notify: {
        status_file: join(notifyDir, 'status.json'),
        metrics_file: join(notifyDir, 'backup.prom'),
      },
    },
  });
}

/** Off-site targets: an sftp repository on a test sshd and a REST repository on rclone. */
export async function offsiteWorld(sshd: Sshd, rest: RestServer): Promise<World> {
  const work = await makeWorkdir('backup-yaml-faults-offsite-');
  const app = work.path('app');
  await mkdir(app);
  await writeFile(join(app, 'settings.env'), 'TOKEN=abc\n');
  const password = await passwordFile(work);
  const nas = sshd.resticRepository(join(sshd.dataDir, 'restic'));
  const cloud = rest.repositoryUrl('offsite');
  const nasAccess: TargetAccess = {
    name: 'nas',
    env: { RESTIC_REPOSITORY: nas, RESTIC_PASSWORD_FILE: password },
    args: sshd.resticOptions,
  };
  const cloudAccess: TargetAccess = {
    name: 'cloud',
    env: { RESTIC_REPOSITORY: cloud, RESTIC_PASSWORD_FILE: password },
    args: [],
  };
  for (const access of [nasAccess, cloudAccess])
    await execa('restic', [...access.args, 'init'], { env: access.env });
  let count = 0;
  const timeouts = { connect: '3s' };
  return withSpec({
    name: 'offsite',
    work,
    staging: work.path('staging'),
    targets: [nasAccess, cloudAccess],
    change: () => writeFile(join(app, 'counter'), String(++count)),
    base: {
      version: 1,
      name: 'offsite',
      lock_wait: '10s',
      sources: { config: { type: 'files', paths: [app] } },
      staging: { dir: work.path('staging') },
      targets: {
        nas: {
          repository: nas,
          password_file: password,
          options: { 'sftp.command': sshd.resticSftpCommand },
          timeouts,
        },
        cloud: { repository: cloud, password_file: password, timeouts },
      },
      retention: { keep_last: 3, prune: false },
    },
  });
}

/** Keeps a copy of a file to put back once a fault is over (a truncated database, say). */
export async function keepCopy(path: string): Promise<() => Promise<void>> {
  const copy = `${path}.fault-copy`;
  await copyFile(path, copy);
  return () => copyFile(copy, path);
}
