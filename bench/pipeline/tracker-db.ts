import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';

/**
 * Bytes per torrent row with its index entry, measured on this schema (7.5 M rows made 837 MiB):
 * 1 GiB is ~9.2 M rows.
 */
const BYTES_PER_ROW = 117;

/**
 * A tracker database in WAL mode: torrents with a unique info-hash index and counters, the
 * shape of Torrust's `torrents` table, of about `sizeMb` MiB. Built once per size in `dir` and
 * reused; returns its path (named by its row count, so a changed estimate builds anew).
 */
export function trackerDatabase(dir: string, sizeMb: number): string {
  const rows = Math.round((sizeMb * 1024 * 1024) / BYTES_PER_ROW);
  const path = join(dir, `tracker-${rows}-rows.db`);
  if (existsSync(path)) return path;
  const building = `${path}.building`;
  const db = new Database(building);
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE torrents (id INTEGER PRIMARY KEY, info_hash TEXT NOT NULL UNIQUE,
    completed INTEGER NOT NULL, seeders INTEGER NOT NULL, leechers INTEGER NOT NULL, updated_at INTEGER NOT NULL)`);
  const insert = db.prepare(
    'INSERT INTO torrents (info_hash, completed, seeders, leechers, updated_at) VALUES (?, ?, ?, ?, ?)',
  );
  const batch = 100_000;
  for (let start = 0; start < rows; start += batch) {
    db.transaction(() => {
      for (let i = start; i < Math.min(rows, start + batch); i++)
        insert.run(randomBytes(20).toString('hex'), i % 1000, i % 50, i % 30, 1_700_000_000 + i);
    })();
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  renameSync(building, path);
  return path;
}

/**
 * One day of changes to 1% of the rows (counters and timestamp; the info-hash index does not
 * move): `clustered` updates one contiguous id range, `spread` rows picked at random.
 */
export function changeOnePercent(path: string, how: 'clustered' | 'spread', day: number): number {
  const db = new Database(path);
  try {
    const total = (db.prepare('SELECT max(id) AS n FROM torrents').get() as { n: number }).n;
    const count = Math.round(total / 100);
    const update = db.prepare(
      'UPDATE torrents SET completed = completed + 1, seeders = seeders + 1, updated_at = ? WHERE id = ?',
    );
    db.transaction(() => {
      const start = Math.floor((total - count) * ((day * 0.37) % 1));
      for (let i = 0; i < count; i++) {
        const id = how === 'clustered' ? start + i + 1 : 1 + Math.floor(Math.random() * total);
        update.run(1_800_000_000 + day, id);
      }
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    return count;
  } finally {
    db.close();
  }
}
