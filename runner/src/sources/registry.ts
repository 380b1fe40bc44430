import type { SecretSources } from '../secrets';
import type { Source } from '../spec/types';
import { dumpFiles } from './files/index';
import { dumpMysql, mysqlPasswordSources } from './mysql/index';
import { dumpPostgres, postgresPasswordSources } from './postgres/index';
import type { SourceDumper } from './source-dumper';
import { dumpSqlite } from './sqlite/index';

type Dumpers = { [T in Source['type']]: SourceDumper<Extract<Source, { type: T }>> };

/** One dumper per source type; the compiler rejects a type without one. */
const dumpers: Dumpers = {
  sqlite: dumpSqlite,
  mysql: dumpMysql,
  postgres: dumpPostgres,
  files: dumpFiles,
};

export function dumperFor<S extends Source>(source: S): SourceDumper<S> {
  return dumpers[source.type] as SourceDumper<S>;
}

type PasswordReaders = {
  [T in Source['type']]: ((source: Extract<Source, { type: T }>) => SecretSources) | undefined;
};

/** Where each type's password comes from; undefined for types that read no secret. */
const passwordReaders: PasswordReaders = {
  sqlite: undefined,
  mysql: mysqlPasswordSources,
  postgres: postgresPasswordSources,
  files: undefined,
};

/** The password a source reads (for the preflight to read it early), if it has one. */
export function passwordSourcesOf(source: Source): SecretSources | undefined {
  const reader = passwordReaders[source.type] as ((s: Source) => SecretSources) | undefined;
  return reader?.(source);
}
