import { join } from 'node:path';
import { execa } from 'execa';
import { dumpPostgres } from '../../runner/src/sources/postgres/index';
import type { PostgresSource } from '../../runner/src/spec/types';
import { allProcesses } from '../mysql/helpers';
import type { Postgres } from '../support/servers/postgres';
import { pgIdentifier, pgString, startPostgres } from '../support/servers/postgres';
import type { DumpRun, DumpRunOptions } from '../support/dump-run';
import {
  newOutDir as sharedNewOutDir,
  runDumper,
  writeSecretFile as sharedWriteSecretFile,
} from '../support/dump-run';
import { waitUntil } from '../support/servers/ports';
import { stopProcess } from '../support/servers/process';

export { allProcesses } from '../mysql/helpers';

/** A small Torrust-like schema: binary hashes, text with quotes and non-ASCII, a view, a trigger. */
export const fixtureSql = `
CREATE TABLE torrents (id serial PRIMARY KEY, info_hash bytea NOT NULL UNIQUE,
  name varchar(255) NOT NULL, description text, size bigint, created timestamptz);
INSERT INTO torrents (info_hash, name, description, size, created)
  SELECT sha256(g::text::bytea), 'torrent ' || g || ' ☃ «ü»',
    CASE WHEN g % 7 = 0 THEN NULL ELSE repeat('line ' || g || E'\\n\\t''"\\\\ ', g % 5) END,
    g::bigint * 1048576, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second'
  FROM generate_series(1, 3000) g;
CREATE TABLE users (id int PRIMARY KEY, username varchar(64), password_hash bytea);
INSERT INTO users SELECT g, 'user' || g, sha256(g::text::bytea) FROM generate_series(1, 500) g;
CREATE TABLE downloads (torrent_id int REFERENCES torrents(id), user_id int REFERENCES users(id),
  n int DEFAULT 0, PRIMARY KEY (torrent_id, user_id));
INSERT INTO downloads SELECT g, 1 + g % 500, g % 3 FROM generate_series(1, 2000) g;
CREATE TABLE zz_last (id int PRIMARY KEY);
INSERT INTO zz_last VALUES (1), (2);
CREATE VIEW popular AS SELECT torrent_id, count(*) AS c FROM downloads GROUP BY torrent_id;
CREATE FUNCTION touch_torrent() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN UPDATE torrents SET size = size WHERE id = NEW.torrent_id; RETURN NEW; END $$;
CREATE TRIGGER count_download AFTER INSERT ON downloads FOR EACH ROW EXECUTE FUNCTION touch_torrent();
`;

export const baseTables = ['public.downloads', 'public.torrents', 'public.users', 'public.zz_last'];

/**
 * A fresh PostgreSQL holding the `tracker` fixture and a role `backup` with this password that
 * may read everything (pg_read_all_data). Stopped again when the set-up fails.
 */
export async function startTrackerDatabase(password: string): Promise<Postgres> {
  const pg = await startPostgres();
  try {
    await pg.sql('CREATE DATABASE tracker;');
    await pg.sql(fixtureSql, 'tracker');
    await pg.createUser('backup', password);
    await pg.sql('GRANT pg_read_all_data TO backup;');
    return pg;
  } catch (error) {
    await pg.stop();
    throw error;
  }
}

/** The source that dumps `tracker` from `pg` over TCP as `backup`, its password in a file. */
export function trackerSource(pg: Postgres, passwordFile: string): PostgresSource {
  return {
    type: 'postgres',
    database: 'tracker',
    host: pg.host,
    port: pg.port,
    user: 'backup',
    password_file: passwordFile,
  };
}

export type { DumpRun } from '../support/dump-run';
export { expectError, listDir } from '../support/dump-run';

const OUT_PREFIX = 'backup-yaml-postgres-test-';

export const newOutDir = (prefix = OUT_PREFIX) => sharedNewOutDir(prefix);

/** Runs the real dumper as the engine would, recording what it reports. */
export const runDump = (source: PostgresSource, options: DumpRunOptions = {}): Promise<DumpRun> =>
  runDumper(dumpPostgres, 'tracker-db', source, OUT_PREFIX, options);

export const writeSecretFile = (password: string) =>
  sharedWriteSecretFile('backup-yaml-postgres-secret-', 'postgres.pw', password);

/**
 * Holds `LOCK TABLE <table> IN ACCESS EXCLUSIVE MODE` in an open transaction until release(),
 * so a dump blocks deterministically (pg_dump takes ACCESS SHARE on every table it dumps).
 */
export async function lockTable(pg: Postgres, database: string, table: string) {
  const session = execa(
    'psql',
    [
      '--no-psqlrc',
      `--host=${pg.socketDir}`,
      `--port=${pg.port}`,
      '--username=postgres',
      `--dbname=${database}`,
      '--tuples-only',
      '--no-align',
    ],
    { stdin: 'pipe', reject: false, env: { PGPASSFILE: join(pg.socketDir, 'no-pgpass') } },
  );
  session.stdin.write(
    `BEGIN;\nLOCK TABLE ${pgIdentifier(table)} IN ACCESS EXCLUSIVE MODE;\nSELECT 'locked';\n`,
  );
  let out = '';
  session.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  try {
    await waitUntil(async () => out.includes('locked'), {
      what: `LOCK TABLE ${table}`,
      giveUpIf: () => (session.exitCode === null ? undefined : 'the session ended'),
    });
  } catch (error) {
    await stopProcess(session);
    throw error;
  }
  return {
    release: async () => {
      session.stdin.end('COMMIT;\n');
      await session;
    },
  };
}

/** Waits until a session of `user` waits for a lock (a blocked dump). */
export async function waitForBlockedDump(pg: Postgres, user: string): Promise<void> {
  await waitUntil(
    async () => {
      const rows = await pg.rows(
        `SELECT count(*) FROM pg_stat_activity WHERE usename = ${pgString(user)} AND wait_event_type = 'Lock'`,
      );
      return rows[0]?.[0] !== '0';
    },
    { what: 'the dump to reach the locked table', intervalMs: 20 },
  );
}

/** The running pg_dump of a test's server, found by its port in the command line. */
export async function findPgDump(pg: Postgres) {
  return (await allProcesses()).filter(
    ({ cmdline }) =>
      cmdline.toString().split('\0')[0]?.endsWith('pg_dump') === true &&
      cmdline.includes(`--port=${pg.port}`),
  );
}

/** Row count and an md5 of every row in key order, to compare a database with a restored copy. */
export async function tableFingerprints(pg: Postgres, database: string, tables: string[]) {
  const result: Record<string, { rows: string; md5: string }> = {};
  for (const table of tables) {
    const [[rows, md5] = []] = await pg.rows(
      `SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM ${table} t`,
      database,
    );
    result[table] = { rows: rows ?? '?', md5: md5 ?? '?' };
  }
  return result;
}
