// mysqldump streamed into restic vs `dump > file`, side by side on a ~420 MB MariaDB database:
//   npx tsx bench/mysql-restic.ts          (BENCH_ROWS=1200000 BENCH_ROUNDS=3 by default)
// Starts its own MariaDB on 127.0.0.1 (test/support/servers), prints each run and the medians
// with their ratio to `dump > file`. The work lives in bench/mysql/, an ESM scope (execa is ESM
// only; this folder's scripts are CommonJS).
void import('./mysql/main');
