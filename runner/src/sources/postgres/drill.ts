import { randomBytes } from 'node:crypto';
import type { VerifyCheck } from '../../protocol';
import { readEnds } from '../file-ends';
import type { PostgresClientConnection } from './client';
import { quoteIdentifier, runPsql } from './client';
import { checkDumpEnds } from './dump-output';

/** Time the scratch database gets to be dropped, even after a cancel. */
const DROP_TIMEOUT_MS = 60_000;

/** A dump made by the postgres source ends exactly as pg_dump ends a complete one. */
export async function readPostgresTrailer(
  path: string,
): Promise<{ trailer: string } | { problem: string }> {
  const { head, tail } = await readEnds(path);
  const ends = checkDumpEnds(head, tail);
  return ends.trailer
    ? { trailer: ends.trailer }
    : { problem: `the dump is incomplete: ${ends.problem ?? 'no trailer'}` };
}

/**
 * Loads a dump into a new database `backup_yaml_verify_<random>` on the verify server with
 * `psql -v ON_ERROR_STOP=1 --single-transaction` (any error fails the load, and nothing of a
 * half-loaded dump stays), checks that every table the dump named is there, counts the rows,
 * and drops the database whatever happened.
 */
export async function loadPostgresDump(
  connection: PostgresClientConnection,
  dumpPath: string,
  expectedTables: string[],
  signal: AbortSignal,
): Promise<VerifyCheck> {
  const database = `backup_yaml_verify_${randomBytes(6).toString('hex')}`;
  const failed = (detail: string): VerifyCheck => ({
    name: 'postgres-load',
    status: 'failed',
    detail,
  });
  const created = await runPsql(
    connection,
    { text: `CREATE DATABASE ${quoteIdentifier(database)} TEMPLATE template0 ENCODING 'UTF8';\n` },
    signal,
  );
  if (!created.ok) return failed(`cannot create a scratch database: ${created.error.message}`);
  try {
    const loaded = await runPsql(connection, { file: dumpPath }, signal, {
      database,
      singleTransaction: true,
    });
    if (!loaded.ok) return failed(`loading the dump failed: ${loaded.error.message}`);
    const listed = await runPsql(
      connection,
      {
        text: "SELECT schemaname || '.' || tablename, quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1;\n",
      },
      signal,
      { database },
    );
    if (!listed.ok) return failed(`cannot list the loaded tables: ${listed.error.message}`);
    const lines = listed.value.split('\n').filter((line) => line !== '');
    const tables = lines.map((line) => line.split('\t'));
    const names = new Set(tables.map(([name]) => name ?? ''));
    const missing = expectedTables.filter((table) => !names.has(table));
    if (missing.length > 0)
      return failed(`the loaded dump lacks tables it named: ${missing.slice(0, 5).join(', ')}`);
    let rows = 0;
    if (tables.length > 0) {
      const counted = await runPsql(
        connection,
        {
          text: `${tables.map(([, quoted]) => `SELECT count(*) FROM ${quoted ?? ''}`).join('\nUNION ALL\n')};\n`,
        },
        signal,
        { database },
      );
      if (!counted.ok) return failed(`cannot count the loaded rows: ${counted.error.message}`);
      rows = counted.value
        .split('\n')
        .filter((n) => n !== '')
        .reduce((sum, n) => sum + Number(n), 0);
    }
    return {
      name: 'postgres-load',
      status: 'ok',
      detail: `loaded into a scratch database: ${tables.length} tables, ${rows} rows`,
    };
  } finally {
    await runPsql(
      connection,
      { text: `DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE);\n` },
      AbortSignal.timeout(DROP_TIMEOUT_MS),
    );
  }
}
