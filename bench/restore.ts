// Restore time of a 1 GiB SQLite source, as an operator feels it during an outage, side by side
// with what bounds it:
//   - `backup-runner restore --source tracker-db --to DIR` and `--in-place`, vs `restic restore`
//     of the same snapshot (the floor: restic must write the file) and vs `cp` of the database;
//   - `backup-runner verify` (the restore drill) vs `restic restore` + `PRAGMA integrity_check`.
//
//   npx tsx bench/restore.ts [--size-mb 1024] [--rounds 3]
//
// Every contender runs once per round, in an order rotated each round, after the previous one's
// output is removed and written back; the repository is in the page cache for all of them.
// Then one more pass puts a logging `restic` first on PATH and says where our restore's time
// goes (each restic call, the rest). The database is built once and cached under
// .cache/bench-pipeline/ (shared with daily-pipeline). The work lives in bench/restore/, an ESM
// scope (execa is ESM only; this folder's scripts are CommonJS).
void import('./restore/main');
