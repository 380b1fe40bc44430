import { basename, join } from 'node:path';
import { describeSecret } from '../restic/invocation';
import type { Source } from '../spec/types';
import {
  commandPrefix,
  dumpArguments,
  dumpFileName,
  dumpToolCandidates,
  optionsPathFor,
} from './mysql/argv';
import * as postgres from './postgres/argv';

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
      const [tool, fallback] = dumpToolCandidates(source);
      const secret = source.password_file
        ? `file ${source.password_file}`
        : describeSecret(source.password, source.password_command);
      const options = optionsPathFor(
        source,
        `<private FIFO: client options, password from ${secret}>`,
      );
      const instead = fallback ? ` (${fallback} when ${tool} is not installed)` : '';
      return {
        title: `dump mysql source "${name}": database ${source.database} to ${join(outDir, dumpFileName(source.database))}${instead}; accepted only with exit 0, no error and the "-- Dump completed" trailer`,
        commands: [
          [...commandPrefix(source), tool ?? 'mysqldump', ...dumpArguments(source, options)],
        ],
      };
    }
    case 'postgres': {
      const secret = source.password_file
        ? `file ${source.password_file}`
        : describeSecret(source.password, source.password_command);
      const pgpass =
        source.container === undefined
          ? `PGPASSFILE=<private 0600 pgpass file, password from ${secret}>`
          : `stdin: pgpass line, password from ${secret}`;
      return {
        title: `dump postgres source "${name}": database ${source.database} to ${join(outDir, postgres.dumpFileName(source.database))} as plain SQL in one repeatable-read snapshot (${pgpass}); accepted only with exit 0, no error and the "PostgreSQL database dump complete" trailer`,
        commands: [
          [...postgres.commandPrefix(source), 'pg_dump', ...postgres.dumpArguments(source)],
        ],
      };
    }
    case 'files':
      return {
        title: `copy files source "${name}": ${source.paths.join(', ')}${source.exclude?.length ? ` except ${source.exclude.join(', ')}` : ''} to ${outDir}`,
        commands: [],
      };
  }
}
