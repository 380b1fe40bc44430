// One SQLite connection in its own process, driven by the test: each stdin line is a JSON
// request {"sql": "..."} (run with exec) or {"query": "..."} (rows returned), answered by one
// JSON line {"ok": true, "rows": [...]} or {"ok": false, "code", "message"}. Tests use it to
// hold locks and to write and checkpoint from another process while a snapshot runs: in the
// test's own process, opening and closing the database file would drop the snapshot's POSIX
// locks (see runner/src/sources/sqlite/source-session.ts).
//
//   node sql-session.mjs DB [--busy-timeout MS]
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'busy-timeout': { type: 'string', default: '0' } },
});
const db = new Database(positionals[0], {
  fileMustExist: true,
  timeout: Number(values['busy-timeout']),
});
const reply = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
const requests = createInterface({ input: process.stdin });
requests.on('close', () => db.close());
requests.on('line', (line) => {
  const request = JSON.parse(line);
  try {
    if (request.query !== undefined) reply({ ok: true, rows: db.prepare(request.query).all() });
    else {
      db.exec(request.sql);
      reply({ ok: true, rows: [] });
    }
  } catch (error) {
    reply({ ok: false, code: error.code, message: error.message });
  }
});
reply({ ready: true });
