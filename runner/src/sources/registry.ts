import type { Source } from '../spec/types';
import { dumpFiles } from './files/index';
import { dumpMysql } from './mysql/index';
import type { SourceDumper } from './source-dumper';

type Dumpers = { [T in Source['type']]: SourceDumper<Extract<Source, { type: T }>> };

const dumpers: Partial<Dumpers> = {
  files: dumpFiles,
  mysql: dumpMysql,
};

/** The dumper of a source type, or undefined while one is not built into this runner. */
export function dumperFor<S extends Source>(source: S): SourceDumper<S> | undefined {
  return dumpers[source.type] as SourceDumper<S> | undefined;
}
