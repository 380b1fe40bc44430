import { join } from 'node:path';
import { ok } from '../../result';
import { describeSecret } from '../../secrets';
import type { PostgresSource } from '../../spec/types';
import type { SourceModule } from '../source-module';
import type { SqlDumpDrill } from '../sql-dump-drill';
import { drillSqlDumps } from '../sql-dump-drill';
import { commandPrefix, dumpArguments, dumpFileName } from './argv';
import type { PostgresClientConnection } from './client';
import { connectVerifyPostgres } from './client';
import { loadPostgresDump, readPostgresTrailer } from './drill';
import { dumpPostgres, postgresPasswordSources } from './index';

const POSTGRES_DRILL: SqlDumpDrill<PostgresClientConnection> = {
  loadCheck: 'postgres-load',
  serverKey: 'verify.postgres',
  readTrailer: readPostgresTrailer,
  load: loadPostgresDump,
};

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
    if (!server) return ok((input) => drillSqlDumps(input, undefined, POSTGRES_DRILL));
    const connected = await connectVerifyPostgres(server, signal);
    if (!connected.ok) return connected;
    return ok((input) => drillSqlDumps(input, connected.value, POSTGRES_DRILL));
  },
};
