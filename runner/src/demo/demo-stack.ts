import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export const DEMO_TORRENTS = 100_000;

/**
 * Creates the demo application once: a tracker database in WAL mode (as Torrust runs it), its
 * config files and a restic password. Existing files are left as they are.
 */
export async function createDemoStack(dir: string): Promise<void> {
  await mkdir(join(dir, 'app/storage/tracker/lib/database'), { recursive: true });
  await mkdir(join(dir, 'app/storage/tracker/etc'), { recursive: true });
  await mkdir(join(dir, 'secrets'), { recursive: true, mode: 0o700 });
  await writeFile(
    join(dir, 'app/.env'),
    'TORRUST_TRACKER_CONFIG_TOML_PATH=./storage/tracker/etc/tracker.toml\nUSER_ID=1000\n',
    { flag: 'wx', mode: 0o600 },
  ).catch(ignoreExists);
  await writeFile(join(dir, 'app/storage/tracker/etc/tracker.toml'), TRACKER_TOML, {
    flag: 'wx',
  }).catch(ignoreExists);
  await writeFile(join(dir, 'secrets/restic.pw'), `${randomBytes(24).toString('hex')}\n`, {
    flag: 'wx',
    mode: 0o600,
  }).catch(ignoreExists);
  const db = new Database(join(dir, 'app/storage/tracker/lib/database/sqlite3.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.exec(`CREATE TABLE IF NOT EXISTS torrents (id INTEGER PRIMARY KEY, info_hash TEXT NOT NULL UNIQUE, completed INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE IF NOT EXISTS keys (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, valid_until INTEGER);
      CREATE TABLE IF NOT EXISTS whitelist (id INTEGER PRIMARY KEY, info_hash TEXT NOT NULL UNIQUE);`);
    const count = (db.prepare('SELECT count(*) AS n FROM torrents').get() as { n: number }).n;
    if (count === 0) {
      const insert = db.prepare('INSERT INTO torrents (info_hash, completed) VALUES (?, ?)');
      db.transaction(() => {
        for (let i = 0; i < DEMO_TORRENTS; i++) insert.run(randomBytes(20).toString('hex'), i % 97);
      })();
      db.prepare('INSERT INTO keys (key, valid_until) VALUES (?, ?)').run(
        randomBytes(16).toString('hex'),
        Date.now() + 86_400_000,
      );
    }
  } finally {
    db.close();
  }
}

/** A day of tracker activity: about 1% of the torrents complete again and new ones appear. */
export function simulateActivity(dir: string): { updated: number; inserted: number } {
  const db = new Database(join(dir, 'app/storage/tracker/lib/database/sqlite3.db'));
  try {
    const newest = (db.prepare('SELECT max(id) AS id FROM torrents').get() as { id: number }).id;
    const updated = db
      .prepare(
        'UPDATE torrents SET completed = completed + 1 WHERE id > ? AND abs(random()) % 10 = 0',
      )
      .run(newest - newest / 10).changes;
    const insert = db.prepare('INSERT INTO torrents (info_hash, completed) VALUES (?, 0)');
    db.transaction(() => {
      for (let i = 0; i < 50; i++) insert.run(randomBytes(20).toString('hex'));
    })();
    return { updated, inserted: 50 };
  } finally {
    db.close();
  }
}

function ignoreExists(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EEXIST') throw error;
}

const TRACKER_TOML = `[metadata]
app = "torrust-tracker"
purpose = "configuration"
schema_version = "2.0.0"

[logging]
threshold = "info"

[core]
listed = false
private = false

[core.database]
driver = "sqlite3"
path = "./storage/tracker/lib/database/sqlite3.db"

[[udp_trackers]]
bind_address = "0.0.0.0:6969"
`;
