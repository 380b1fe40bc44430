import { join } from 'node:path';
import type { VerifyCheck } from '../protocol';
import type { DrillInput } from './source-module';

/** What a database source with SQL dumps (mysql, postgres) gives the shared drill below. */
export interface SqlDumpDrill<Server> {
  /** The check's name in the verify record: `mysql-load`, `postgres-load`. */
  loadCheck: 'mysql-load' | 'postgres-load';
  /** The spec key of the scratch server, for the message when there is none. */
  serverKey: 'verify.mysql' | 'verify.postgres';
  /** The trailer a complete dump ends with, or what is wrong with the dump's ends. */
  readTrailer(path: string): Promise<{ trailer: string } | { problem: string }>;
  load(server: Server, path: string, tables: string[], signal: AbortSignal): Promise<VerifyCheck>;
}

/**
 * Each restored dump's trailer, then its load into a scratch database when the spec names a
 * server for it. A damaged dump (a file off the manifest, a cut trailer) is never loaded.
 */
export async function drillSqlDumps<Server>(
  input: DrillInput,
  server: Server | undefined,
  drill: SqlDumpDrill<Server>,
): Promise<VerifyCheck[]> {
  const dumps = input.entries.filter((e) => e.type === 'file' && e.path.endsWith('.sql'));
  if (dumps.length === 0)
    return [{ name: 'dump-trailer', status: 'failed', detail: 'no dump (.sql) was restored' }];
  const { metadata } = input;
  const tables = Array.isArray(metadata['tables']) ? metadata['tables'].map(String) : [];
  const checks: VerifyCheck[] = [];
  for (const dump of dumps) {
    const path = join(input.runDir, dump.path);
    const trailer = await checkTrailer(path, drill);
    checks.push(trailer);
    if (!server) continue;
    if (!input.intact || trailer.status !== 'ok') {
      checks.push({
        name: drill.loadCheck,
        status: 'skipped',
        detail: 'not loaded: the dump is damaged',
      });
      continue;
    }
    // The table list is the one dump's; with several, each has its own.
    const expected = dumps.length === 1 ? tables : [];
    checks.push(await drill.load(server, path, expected, input.signal));
  }
  if (!server)
    checks.push({
      name: drill.loadCheck,
      status: 'skipped',
      detail: `not loaded: the spec names no ${drill.serverKey} server`,
    });
  return checks;
}

async function checkTrailer<Server>(
  path: string,
  drill: SqlDumpDrill<Server>,
): Promise<VerifyCheck> {
  try {
    const ends = await drill.readTrailer(path);
    return 'trailer' in ends
      ? { name: 'dump-trailer', status: 'ok', detail: `ends with "${ends.trailer}"` }
      : { name: 'dump-trailer', status: 'failed', detail: ends.problem };
  } catch (error) {
    return {
      name: 'dump-trailer',
      status: 'failed',
      detail: `cannot read the dump: ${String(error)}`,
    };
  }
}
