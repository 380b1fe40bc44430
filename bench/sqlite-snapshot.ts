// A live snapshot of a WAL SQLite database while a writer commits ~50 transactions a second,
// side by side with `cp` of the same file, better-sqlite3's default backup(), the backup API in
// one held read transaction, and `sqlite3 .backup` (capped), with the writer's max commit
// latency during each. Ratios are to `cp` of the same round.
//
//   npx tsx bench/sqlite-snapshot.ts [--size-mb 1024] [--rounds 5] [--cap-s 60] [--rate 50]
//                                    [--journal wal|delete]
//
// --journal delete measures the rollback-journal path instead: there every consistent copy
// holds a lock that keeps the writer from committing, and its max latency shows for how long.
// The database is built once and cached under .cache/bench-sqlite/. The machine is shared, so
// every contender runs once per round, interleaved, and the table shows the median (min-max).
// The work lives in bench/sqlite/, an ESM scope (execa is ESM only; this folder's scripts are
// CommonJS).
void import('./sqlite/main');
