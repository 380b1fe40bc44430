// The tracker stand-in: see the Dockerfile beside this file.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
// The better-sqlite3 the backup-runner image carries (its base image).
import Database from '/opt/backup-runner/node_modules/better-sqlite3/lib/index.js';

const configPath =
  process.env.TORRUST_TRACKER_CONFIG_TOML_PATH || '/etc/torrust/tracker/tracker.toml';
const config = readFileSync(configPath, 'utf8');
const driver = /^\s*driver\s*=\s*"([^"]+)"/m.exec(config)?.[1] ?? 'sqlite3';
const path =
  /^\s*path\s*=\s*"([^"]+)"/m.exec(config)?.[1] ?? '/var/lib/torrust/tracker/database/sqlite3.db';
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => (stopping = true));

if (driver !== 'sqlite3') {
  console.log(`tracker stand-in: driver ${driver}, idle`);
  const idle = setInterval(() => stopping && (clearInterval(idle), process.exit(0)), 100);
} else {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: 10_000 });
  db.pragma(`journal_mode = ${process.env.TRACKER_JOURNAL_MODE || 'wal'}`);
  db.exec(`CREATE TABLE IF NOT EXISTS torrents (id INTEGER PRIMARY KEY AUTOINCREMENT,
    info_hash TEXT NOT NULL UNIQUE, completed INTEGER DEFAULT 0 NOT NULL, payload BLOB)`);
  const insert = db.prepare(
    'INSERT INTO torrents (info_hash, completed, payload) VALUES (?, ?, ?)',
  );
  const intervalMs = 1000 / Number(process.env.TRACKER_TX_PER_S || 50);
  console.log(`tracker stand-in: writing ${path} every ${intervalMs} ms`);
  const tick = () => {
    if (stopping) {
      db.close();
      process.exit(0);
    }
    const id = insert.run(
      randomBytes(20).toString('hex'),
      Date.now() % 97,
      randomBytes(512),
    ).lastInsertRowid;
    // Logged after the commit returned: a row logged before a time T was committed before T.
    process.stdout.write(`committed ${id} ${Date.now()}\n`);
    setTimeout(tick, intervalMs);
  };
  tick();
}
