import type { MariaDb } from '../../test/support/servers/mariadb';

/**
 * A Torrust-like database of about `rows` × 350 bytes of dump (1.2 M rows ≈ 420 MB): binary
 * info hashes (dumped as hex), names, descriptions that are half random hex and half repeated
 * words (so restic's compression has something to do, as with real text), numbers and dates.
 */
export async function createTrackerDatabase(
  db: MariaDb,
  rows: number,
  log: (line: string) => void,
): Promise<void> {
  await db.sql('CREATE DATABASE tracker');
  await db.sql(
    `
    CREATE TABLE tracker.torrents (
      id INT PRIMARY KEY, info_hash BINARY(20) NOT NULL, name VARCHAR(255) NOT NULL,
      description TEXT, size BIGINT NOT NULL, seeders INT, leechers INT, created DATETIME
    ) DEFAULT CHARSET=utf8mb4;
    CREATE TABLE tracker.users (id INT PRIMARY KEY, username VARCHAR(64), email VARCHAR(128));
    INSERT INTO tracker.users SELECT seq, CONCAT('user', seq), CONCAT('user', seq, '@example.org')
      FROM seq_1_to_20000;
  `,
    'tracker',
  );
  const chunk = 100_000;
  for (let first = 1; first <= rows; first += chunk) {
    const last = Math.min(rows, first + chunk - 1);
    await db.sql(
      `
      INSERT INTO tracker.torrents
      SELECT seq, UNHEX(SHA1(seq)), CONCAT('Ubuntu ', seq % 30, '.04 desktop amd64 #', seq),
        CONCAT(SHA2(seq, 512), ' ', REPEAT('seeders leechers completed ', 1 + seq % 4)),
        seq * 7919, seq % 97, seq % 13, TIMESTAMP('2020-01-01') + INTERVAL seq MINUTE
      FROM seq_${first}_to_${last};
    `,
      'tracker',
    );
    log(`  ${last.toLocaleString('en')} / ${rows.toLocaleString('en')} rows`);
  }
}
