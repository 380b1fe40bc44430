// A daily backup of a Torrust-like SQLite database, our way vs the seeds' way, side by side:
//   - wall time of a daily run: `backup-runner run` vs the seeds' bash pipeline (`sqlite3
//     .backup`, integrity_check, `tar czf`, `restic backup`, `restic forget --prune`);
//   - what day 2 adds to the repository after 1% of the rows changed, clustered or spread:
//     our layout vs handing restic the raw snapshot vs the seeds' tar.gz.
//
//   npx tsx bench/daily-pipeline.ts [--size-mb 1024] [--rounds 2] [--days 2] [--warmup all|ours]
//                                  [--lean-disk]
//   (--lean-disk, for 8 GiB: work on the cached database itself, no raw-snapshot route, remove
//   what a route is done with; it also prints the peak RSS of the runner and restic)
//
// The database is built once and cached under .cache/bench-pipeline/. The work lives in
// bench/pipeline/, an ESM scope (execa is ESM only; this folder's scripts are CommonJS).
void import('./pipeline/main');
