import { randomBytes } from 'node:crypto';
import type { VerifyCheck } from '../../protocol';
import type { Result } from '../../result';
import { ok } from '../../result';
import { resolveSecret } from '../../secrets';
import { findTrailer, readEnds } from './dump-output';
import type { VerifyMysqlServer } from '../../spec/types';
import type { MysqlClient } from './client';
import { findMysqlClient, quoteIdentifier, quoteString, runMysqlClient } from './client';

/** Time the scratch database gets to be dropped, even after a cancel. */
const DROP_TIMEOUT_MS = 60_000;

/** A dump made by the mysql source ends with the `-- Dump completed` trailer, or was cut short. */
export async function readDumpTrailer(
  path: string,
): Promise<{ trailer: string } | { problem: string }> {
  const trailer = findTrailer((await readEnds(path)).tail);
  return trailer
    ? { trailer }
    : { problem: 'the dump does not end with "-- Dump completed": it was cut short' };
}

/** Connects to verify.mysql: finds the client and reads the password once. */
export async function connectVerifyServer(
  server: VerifyMysqlServer,
  signal: AbortSignal,
): Promise<Result<MysqlClient>> {
  const program = await findMysqlClient(signal);
  if (!program.ok) return program;
  const password = await resolveSecret(
    { value: server.password, file: server.password_file, command: server.password_command },
    'the password of verify.mysql',
  );
  if (!password.ok) return password;
  return ok({ program: program.value, server, password: password.value });
}

/**
 * Loads a dump into a new database `backup_yaml_verify_<random>` on the verify server, counts
 * its tables and rows, checks that every table the dump named is there, and drops the database
 * whatever happened.
 */
export async function loadDump(
  connection: MysqlClient,
  dumpPath: string,
  expectedTables: string[],
  signal: AbortSignal,
): Promise<VerifyCheck> {
  const database = `backup_yaml_verify_${randomBytes(6).toString('hex')}`;
  const failed = (detail: string): VerifyCheck => ({
    name: 'mysql-load',
    status: 'failed',
    detail,
  });
  const created = await runMysqlClient(
    connection,
    [],
    { text: `CREATE DATABASE ${quoteIdentifier(database)} CHARACTER SET utf8mb4;\n` },
    signal,
  );
  if (!created.ok) return failed(`cannot create a scratch database: ${created.error.message}`);
  try {
    const loaded = await runMysqlClient(
      connection,
      [`--database=${database}`],
      { file: dumpPath },
      signal,
    );
    if (!loaded.ok) return failed(`loading the dump failed: ${loaded.error.message}`);
    const tables = await runMysqlClient(
      connection,
      [],
      {
        text: `SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = ${quoteString(database)} ORDER BY table_name;\n`,
      },
      signal,
    );
    if (!tables.ok) return failed(`cannot list the loaded tables: ${tables.error.message}`);
    const rows =
      tables.value === '' ? [] : tables.value.split('\n').map((line) => line.split('\t'));
    const names = new Set(rows.map((row) => row[0] ?? ''));
    const missing = expectedTables.filter((table) => !names.has(table));
    if (missing.length > 0)
      return failed(`the loaded dump lacks tables it named: ${missing.slice(0, 5).join(', ')}`);
    const baseTables = rows.filter((row) => row[1] === 'BASE TABLE').map((row) => row[0] ?? '');
    let count = 0;
    if (baseTables.length > 0) {
      const counted = await runMysqlClient(
        connection,
        [],
        {
          text: `${baseTables.map((t) => `SELECT COUNT(*) FROM ${quoteIdentifier(database)}.${quoteIdentifier(t)}`).join('\nUNION ALL\n')};\n`,
        },
        signal,
      );
      if (!counted.ok) return failed(`cannot count the loaded rows: ${counted.error.message}`);
      count = counted.value.split('\n').reduce((sum, n) => sum + Number(n), 0);
    }
    return {
      name: 'mysql-load',
      status: 'ok',
      detail: `loaded into a scratch database: ${baseTables.length} tables, ${count} rows`,
    };
  } finally {
    await runMysqlClient(
      connection,
      [],
      { text: `DROP DATABASE IF EXISTS ${quoteIdentifier(database)};\n` },
      AbortSignal.timeout(DROP_TIMEOUT_MS),
    );
  }
}
