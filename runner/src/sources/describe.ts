import { basename, join } from 'node:path';
import type { Source } from '../spec/types';

export interface SourceDescription {
  title: string;
  commands: string[][];
}

/** How a source will be dumped, for the plan: words for in-process work, argv for programs. */
export function describeSource(name: string, source: Source, outDir: string): SourceDescription {
  switch (source.type) {
    case 'sqlite': {
      const method = source.method ?? 'snapshot';
      const check = source.integrity_check ?? 'auto';
      return {
        title: `dump sqlite source "${name}": ${method} of ${source.path} to ${join(outDir, basename(source.path))} in one read transaction, then integrity check (${check})`,
        commands: [],
      };
    }
    case 'mysql': {
      const where = source.container
        ? ` in container ${source.container}`
        : source.socket
          ? ` via ${source.socket}`
          : ` on ${source.host ?? 'localhost'}:${source.port ?? 3306}`;
      return {
        title: `dump mysql source "${name}": database ${source.database}${source.tables ? ` (tables ${source.tables.join(', ')})` : ''}${where} to ${join(outDir, `${source.database}.sql`)}; accepted only with exit 0, no error and the "-- Dump completed" trailer`,
        commands: [],
      };
    }
    case 'files':
      return {
        title: `copy files source "${name}": ${source.paths.join(', ')}${source.exclude?.length ? ` except ${source.exclude.join(', ')}` : ''} to ${outDir}`,
        commands: [],
      };
  }
}
