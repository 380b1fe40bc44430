import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/**
 * Bytes per torrent row with its index entry, measured on this schema with the index built
 * after the rows (2.29 M rows made 242 MiB): 1 GiB is ~9.7 M rows, 8 GiB ~77 M.
 */
const BYTES_PER_ROW = 111;

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
  rmSync(building, { force: true });
  const db = new Database(building);
  // Built in SQLite itself (no row through JavaScript), without a journal, the unique info-hash
  // index made once the rows are in (one sort instead of a random index page per insert), then
  // put in WAL mode: 8 GiB in minutes instead of the better part of an hour.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma(`cache_size = -${Math.min(4 * 1024 * 1024, Math.round(sizeMb * 1024 * 0.6))}`);
  db.exec(`CREATE TABLE torrents (id INTEGER PRIMARY KEY, info_hash TEXT NOT NULL,
    completed INTEGER NOT NULL, seeders INTEGER NOT NULL, leechers INTEGER NOT NULL, updated_at INTEGER NOT NULL)`);
  const insert =
    db.prepare(`WITH RECURSIVE n(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM n WHERE i < ?)
    INSERT INTO torrents (id, info_hash, completed, seeders, leechers, updated_at)
    SELECT i, lower(hex(randomblob(20))), i % 1000, i % 50, i % 30, 1700000000 + i FROM n`);
  const batch = 1_000_000;
  for (let start = 1; start <= rows; start += batch)
    insert.run(start, Math.min(rows, start + batch - 1));
  db.exec('CREATE UNIQUE INDEX torrents_info_hash ON torrents (info_hash)');
  db.pragma('journal_mode = WAL');
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
