import type { Source } from '../spec/types';
import { dumpFiles } from './files/index';
import { dumpMysql } from './mysql/index';
import type { SourceDumper } from './source-dumper';
import { dumpSqlite } from './sqlite/index';

type Dumpers = { [T in Source['type']]: SourceDumper<Extract<Source, { type: T }>> };

/** One dumper per source type; the compiler rejects a type without one. */
const dumpers: Dumpers = {
  sqlite: dumpSqlite,
  mysql: dumpMysql,
  files: dumpFiles,
};

export function dumperFor<S extends Source>(source: S): SourceDumper<S> {
  return dumpers[source.type] as SourceDumper<S>;
}
