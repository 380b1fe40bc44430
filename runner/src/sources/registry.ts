import type { SecretSources } from '../secrets';
import type { Source, SourceType } from '../spec/types';
import { filesModule } from './files/module';
import { mysqlModule } from './mysql/module';
import { postgresModule } from './postgres/module';
import type { SourceDumper } from './source-dumper';
import type { SourceDescription, SourceModule } from './source-module';
import { sqliteModule } from './sqlite/module';

type Modules = { [T in SourceType]: SourceModule<Extract<Source, { type: T }>> };

/** One module per source type; the compiler rejects a type without one. */
const modules: Modules = {
  sqlite: sqliteModule,
  mysql: mysqlModule,
  postgres: postgresModule,
  files: filesModule,
};

/** The module of a source of the spec. */
export function moduleFor<S extends Source>(source: S): SourceModule<S> {
  return modules[source.type] as unknown as SourceModule<S>;
}

/**
 * The module of a type named by a manifest or snapshot (a string read from disk): undefined for
 * a type this runner does not know (a newer runner's snapshot).
 */
export function moduleForType(type: string | undefined): SourceModule | undefined {
  if (type === undefined || !Object.hasOwn(modules, type)) return undefined;
  return modules[type as SourceType] as unknown as SourceModule;
}

/** Every module, for what a drill prepares once (verify servers). */
export function allModules(): [SourceType, SourceModule][] {
  return Object.entries(modules) as unknown as [SourceType, SourceModule][];
}

export function dumperFor<S extends Source>(source: S): SourceDumper<S> {
  return moduleFor(source).dump;
}

/** How a source will be dumped, for the plan. */
export function describeSource(name: string, source: Source, outDir: string): SourceDescription {
  return moduleFor(source).describe(name, source, outDir);
}

/** Whether a type named by a manifest or snapshot stages host paths (see `hostPaths`). */
export function stagesHostPaths(type: string | undefined): boolean {
  return moduleForType(type)?.hostPaths !== undefined;
}

/** The password a source reads (for the preflight to read it early), if it has one. */
export function passwordSourcesOf(source: Source): SecretSources | undefined {
  return moduleFor(source).password?.(source);
}
