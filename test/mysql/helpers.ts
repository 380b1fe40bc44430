import { readdir, readFile } from 'node:fs/promises';
import { execa } from 'execa';
import { dumpMysql } from '../../runner/src/sources/mysql/index';
import type { MysqlSource } from '../../runner/src/spec/types';
import type { MariaDb } from '../support/servers/mariadb';
import { sqlString, startMariaDb } from '../support/servers/mariadb';
import type { DumpRun, DumpRunOptions } from '../support/dump-run';
import {
  newOutDir as sharedNewOutDir,
  runDumper,
  writeSecretFile as sharedWriteSecretFile,
} from '../support/dump-run';
import { waitUntil } from '../support/servers/ports';
import { stopProcess } from '../support/servers/process';

/** A small Torrust-like schema: binary hashes, text with quotes and non-ASCII, a view, routines. */
export const fixtureSql = (database: string) => `
CREATE DATABASE ${database};
USE ${database};
CREATE TABLE torrents (id INT PRIMARY KEY AUTO_INCREMENT, info_hash BINARY(20) NOT NULL UNIQUE,
  name VARCHAR(255) NOT NULL, description TEXT, size BIGINT, created DATETIME(6)) DEFAULT CHARSET=utf8mb4;
INSERT INTO torrents (info_hash, name, description, size, created)
  SELECT UNHEX(SHA1(seq)), CONCAT('torrent ', seq, ' ☃ «ü»'),
    IF(seq % 7 = 0, NULL, REPEAT(CONCAT('line ', seq, '\\n\\t\\'"\\\\ '), seq % 5)),
    seq * 1048576, TIMESTAMP('2024-01-01') + INTERVAL seq SECOND FROM seq_1_to_3000;
CREATE TABLE users (id INT PRIMARY KEY, username VARCHAR(64), password_hash VARBINARY(64));
INSERT INTO users SELECT seq, CONCAT('user', seq), UNHEX(SHA2(seq, 256)) FROM seq_1_to_500;
CREATE TABLE downloads (torrent_id INT, user_id INT, n INT DEFAULT 0, PRIMARY KEY (torrent_id, user_id));
INSERT INTO downloads SELECT seq, 1 + seq % 500, seq % 3 FROM seq_1_to_2000;
CREATE TABLE zz_last (id INT PRIMARY KEY);
INSERT INTO zz_last VALUES (1), (2);
CREATE VIEW popular AS SELECT torrent_id, COUNT(*) AS c FROM downloads GROUP BY torrent_id;
CREATE TRIGGER count_download AFTER INSERT ON downloads FOR EACH ROW
  UPDATE torrents SET size = size WHERE id = NEW.torrent_id;
CREATE PROCEDURE purge_downloads(IN below INT) DELETE FROM downloads WHERE n < below;
CREATE FUNCTION torrent_count() RETURNS INT READS SQL DATA RETURN (SELECT COUNT(*) FROM torrents);
CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY DO DELETE FROM downloads WHERE n < 0;
`;

export const baseTables = ['downloads', 'torrents', 'users', 'zz_last'];

/** Grants a backup user needs for a full dump (routines: SELECT on mysql.proc in MariaDB 10.11). */
export async function createBackupUser(
  db: MariaDb,
  user: string,
  password: string,
  database: string,
): Promise<void> {
  await db.createUser(
    user,
    password,
    'SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES',
    `${database}.*`,
  );
  for (const host of ['%', 'localhost'])
    await db.sql(`GRANT SELECT ON mysql.proc TO ${sqlString(user)}@${sqlString(host)}`);
}

/**
 * A fresh MariaDB holding the `tracker` fixture and a user `backup` with this password and the
 * grants of a full dump. Stopped again when the set-up fails, so nothing is left running.
 */
export async function startTrackerDatabase(password: string): Promise<MariaDb> {
  const db = await startMariaDb();
  try {
    await db.sql(fixtureSql('tracker'));
    await createBackupUser(db, 'backup', password, 'tracker');
    return db;
  } catch (error) {
    await db.stop();
    throw error;
  }
}

/** The source that dumps `tracker` from `db` over TCP as `backup`, its password in a file. */
export function trackerSource(db: MariaDb, passwordFile: string): MysqlSource {
  return {
    type: 'mysql',
    database: 'tracker',
    host: db.host,
    port: db.port,
    user: 'backup',
    password_file: passwordFile,
  };
}

export type { DumpRun } from '../support/dump-run';
export { expectError, listDir } from '../support/dump-run';

const OUT_PREFIX = 'backup-yaml-mysql-test-';

export const newOutDir = (prefix = OUT_PREFIX) => sharedNewOutDir(prefix);

/** Runs the real dumper as the engine would, recording what it reports. */
export const runDump = (source: MysqlSource, options: DumpRunOptions = {}): Promise<DumpRun> =>
  runDumper(dumpMysql, 'index-db', source, OUT_PREFIX, options);

export const writeSecretFile = (password: string) =>
  sharedWriteSecretFile('backup-yaml-mysql-secret-', 'mysql.pw', password);

/**
 * Holds `LOCK TABLES <table> WRITE` in a client session until release(), so a dump blocks
 * deterministically on that table (its SELECT waits for the metadata lock).
 */
export async function lockTable(db: MariaDb, database: string, table: string) {
  const session = execa(
    'mariadb',
    ['--no-defaults', `--socket=${db.socket}`, '--user=root', '--batch', '--unbuffered', database],
    { stdin: 'pipe', reject: false },
  );
  session.stdin.write(`LOCK TABLES ${table} WRITE;\nSELECT 'locked';\n`);
  let out = '';
  session.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  try {
    await waitUntil(async () => out.includes('locked'), {
      what: `LOCK TABLES ${table}`,
      giveUpIf: () => (session.exitCode === null ? undefined : 'the session ended'),
    });
  } catch (error) {
    await stopProcess(session);
    throw error;
  }
  return {
    release: async () => {
      session.stdin.end('UNLOCK TABLES;\n');
      await session;
    },
  };
}

/** Waits until a connection of `user` waits for a table metadata lock (a blocked dump). */
export async function waitForBlockedDump(db: MariaDb, user: string): Promise<void> {
  await waitUntil(
    async () => {
      const rows = await db.rows(
        `SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = ${sqlString(user)} AND STATE LIKE 'Waiting for table metadata lock'`,
      );
      return rows[0]?.[0] !== '0';
    },
    { what: 'the dump to reach the locked table', intervalMs: 20 },
  );
}

export interface ProcessText {
  pid: string;
  cmdline: Buffer;
  environ: Buffer;
}

/** cmdline and environ of every process we may read (processes that end meanwhile are skipped). */
export async function allProcesses(): Promise<ProcessText[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const read = (path: string) => readFile(path).catch(() => Buffer.alloc(0));
  return Promise.all(
    pids.map(async (pid) => ({
      pid,
      cmdline: await read(`/proc/${pid}/cmdline`),
      environ: await read(`/proc/${pid}/environ`),
    })),
  );
}

/** Row count and CHECKSUM TABLE of each table, to compare a database with its restored copy. */
export async function tableFingerprints(db: MariaDb, database: string, tables: string[]) {
  const result: Record<string, { rows: string; checksum: string }> = {};
  for (const table of tables) {
    const [[rows] = []] = await db.rows(`SELECT COUNT(*) FROM \`${database}\`.\`${table}\``);
    const [[, checksum] = []] = await db.rows(`CHECKSUM TABLE \`${database}\`.\`${table}\``);
    result[table] = { rows: rows ?? '?', checksum: checksum ?? '?' };
  }
  return result;
}
