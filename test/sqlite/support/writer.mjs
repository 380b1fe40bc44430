// A stand-in for the application: commits transactions into a database made by
// test/sqlite/support/database.ts, in its own process, and reports each commit on stdout as a
// JSON line once COMMIT has returned. Each transaction i inserts a txlog row i, `rows` items
// with txn = i, sets version = i on `pads` random pad rows, and adds to the summary row — so a
// copy that mixes two states shows it. Also reports the commit latency (BEGIN to COMMIT done).
//
//   node writer.mjs DB [--rate N] [--rows K] [--pads P] [--autocheckpoint PAGES]
//                      [--checkpoint-every N] [--quiet]
//
// --rate: transactions per second (0 = as fast as it can). --checkpoint-every: run
// wal_checkpoint(TRUNCATE) after every N commits, to make the WAL restart under a snapshot.
// --quiet: no line per commit (the benchmark only wants the latencies).
// stdin "mark\n" prints {"mark":true,"maxLatencyMs","commits"} for the commits since the last
// mark; SIGTERM or stdin "stop\n" ends it after the current transaction.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rate: { type: 'string', default: '0' },
    rows: { type: 'string', default: '3' },
    pads: { type: 'string', default: '4' },
    'checkpoint-every': { type: 'string', default: '0' },
    autocheckpoint: { type: 'string', default: '1000' },
    quiet: { type: 'boolean', default: false },
  },
});
const rate = Number(values.rate);
const rows = Number(values.rows);
const pads = Number(values.pads);
const checkpointEvery = Number(values['checkpoint-every']);

const db = new Database(positionals[0], { fileMustExist: true, timeout: 120_000 });
db.pragma(`wal_autocheckpoint = ${Number(values.autocheckpoint)}`);
const padCount = db.prepare('SELECT count(*) FROM pad').pluck().get();
const insertTxlog = db.prepare('INSERT INTO txlog(id, rows) VALUES (?, ?)');
const insertItem = db.prepare('INSERT INTO items(txn, payload) VALUES (?, randomblob(200))');
const updatePad = db.prepare(
  'UPDATE pad SET version = ?, body = randomblob(length(body)) WHERE id = ?',
);
const updateSummary = db.prepare(
  "UPDATE summary SET items = items + ?, last_txn = ? WHERE k = 'all'",
);
let txn = db.prepare('SELECT coalesce(max(id), 0) FROM txlog').pluck().get();

let stopping = false;
let markMax = 0;
let markCommits = 0;
process.on('SIGTERM', () => (stopping = true));
const commands = createInterface({ input: process.stdin });
commands.on('line', (line) => {
  if (line === 'stop') stopping = true;
  if (line === 'mark') {
    process.stdout.write(
      `${JSON.stringify({ mark: true, maxLatencyMs: markMax, commits: markCommits })}\n`,
    );
    markMax = 0;
    markCommits = 0;
  }
});

function commitOne() {
  txn += 1;
  const touched = Array.from({ length: pads }, () => 1 + Math.floor(Math.random() * padCount));
  const started = performance.now();
  db.exec('BEGIN IMMEDIATE');
  insertTxlog.run(txn, rows);
  for (let i = 0; i < rows; i++) insertItem.run(txn);
  for (const id of touched) updatePad.run(txn, id);
  updateSummary.run(rows, txn);
  db.exec('COMMIT');
  const latencyMs = performance.now() - started;
  markMax = Math.max(markMax, latencyMs);
  markCommits += 1;
  if (!values.quiet) process.stdout.write(`${JSON.stringify({ txn, pads: touched, latencyMs })}\n`);
  if (checkpointEvery > 0 && txn % checkpointEvery === 0) {
    db.pragma('busy_timeout = 0');
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('busy_timeout = 120000');
  }
}

const intervalMs = rate > 0 ? 1000 / rate : 0;
let next = performance.now();
process.stdout.write(`${JSON.stringify({ ready: true, txn })}\n`);
while (!stopping) {
  commitOne();
  next = Math.max(next + intervalMs, performance.now());
  const pause = Math.max(0, next - performance.now());
  // Yield to the event loop (stdin, signals) between transactions even at full speed.
  await new Promise((resolve) => setTimeout(resolve, pause));
}
db.close();
process.stdout.write(`${JSON.stringify({ done: true, txn })}\n`);
commands.close();
process.stdin.destroy();
