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
        title: `dump sqlite source "${name}": ${method} of ${source.path} to ${join(outDir, basename(source.path))} in one read transaction${check === 'off' ? ', unchecked (integrity_check: off)' : `; its integrity check (${check}) starts once the copy is made and runs alongside the backup`}`,
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
    case 'files':
      return {
        title: `copy files source "${name}": ${source.paths.join(', ')}${source.exclude?.length ? ` except ${source.exclude.join(', ')}` : ''} to ${outDir}`,
        commands: [],
      };
  }
}
