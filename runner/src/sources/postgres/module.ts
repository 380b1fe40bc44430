import { join } from 'node:path';
import type { VerifyCheck } from '../../protocol';
import { ok } from '../../result';
import { describeSecret } from '../../secrets';
import type { PostgresSource } from '../../spec/types';
import type { DrillInput, SourceModule } from '../source-module';
import { commandPrefix, dumpArguments, dumpFileName } from './argv';
import type { PostgresClientConnection } from './client';
import { connectVerifyPostgres } from './client';
import { checkPostgresTrailer, loadPostgresDump } from './drill';
import { dumpPostgres, postgresPasswordSources } from './index';

/** PostgreSQL: pg_dump as plain SQL in one snapshot, loaded with psql into verify.postgres. */
export const postgresModule: SourceModule<PostgresSource> = {
  dump: dumpPostgres,
  describe: (name, source, outDir) => {
    const secret = source.password_file
      ? `file ${source.password_file}`
      : describeSecret(source.password, source.password_command);
    const pgpass =
      source.container === undefined
        ? `PGPASSFILE=<private 0600 pgpass file, password from ${secret}>`
        : `a pgpass line on stdin, password from ${secret}`;
    return {
      title: `dump postgres source "${name}": database ${source.database} to ${join(outDir, dumpFileName(source.database))} as plain SQL in one repeatable-read snapshot (${pgpass}); accepted only with exit 0, no error and the "PostgreSQL database dump complete" trailer`,
      commands: [[...commandPrefix(source), 'pg_dump', ...dumpArguments(source)]],
    };
  },
  password: postgresPasswordSources,
  prepareDrill: async (verify, signal) => {
    const server = verify?.postgres;
    if (!server) return ok((input) => checkPostgres(input, undefined));
    const connected = await connectVerifyPostgres(server, signal);
    if (!connected.ok) return connected;
    return ok((input) => checkPostgres(input, connected.value));
  },
};

/** Each dump's trailer, and its load into a scratch database when verify.postgres names a server. */
async function checkPostgres(
  input: DrillInput,
  server: PostgresClientConnection | undefined,
): Promise<VerifyCheck[]> {
  const dumps = input.entries.filter((e) => e.type === 'file' && e.path.endsWith('.sql'));
  if (dumps.length === 0)
    return [{ name: 'dump-trailer', status: 'failed', detail: 'no dump (.sql) was restored' }];
  const { metadata } = input;
  const tables = Array.isArray(metadata['tables']) ? metadata['tables'].map(String) : [];
  const checks: VerifyCheck[] = [];
  for (const dump of dumps) {
    const path = join(input.runDir, dump.path);
    const trailer = await checkPostgresTrailer(path);
    checks.push(trailer);
    if (!server) continue;
    if (!input.intact || trailer.status !== 'ok') {
      checks.push({
        name: 'postgres-load',
        status: 'skipped',
        detail: 'not loaded: the dump is damaged',
      });
      continue;
    }
    const expected = dumps.length === 1 ? tables : [];
    checks.push(await loadPostgresDump(server, path, expected, input.signal));
  }
  if (!server)
    checks.push({
      name: 'postgres-load',
      status: 'skipped',
      detail: 'not loaded: the spec names no verify.postgres server',
    });
  return checks;
}
