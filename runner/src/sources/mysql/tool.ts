import { runChild } from '../../process/start-child';
import type { Result } from '../../result';
import { containerFailure } from '../container-exec';
import { fail, ok } from '../../result';
import type { MysqlSource } from '../../spec/types';
import type { DumpToolName } from './argv';
import { commandPrefix, dumpToolCandidates } from './argv';

export interface DumpTool {
  name: DumpToolName;
  /** The first line of `<tool> --version`, e.g. "mariadb-dump  Ver 10.19 Distrib 10.11.19-MariaDB, …". */
  version: string;
}

/**
 * Picks the dump program (the first of the candidates that runs, on the host or in the
 * container) and learns its version, by running `<tool> --version`.
 */
export async function resolveDumpTool(
  source: MysqlSource,
  name: string,
  signal: AbortSignal,
): Promise<Result<DumpTool>> {
  const prefix = commandPrefix(source);
  const tried: string[] = [];
  for (const tool of dumpToolCandidates(source)) {
    const argv = [...prefix, tool, '--version'];
    const [program, ...args] = argv as [string, ...string[]];
    const result = await runChild(program, args, { timeoutMs: 60_000, signal });
    if (result.cancelled) return fail('cancelled', `mysql source "${name}": cancelled`);
    if (result.exitCode === 0) {
      const version = result.stdout.split('\n')[0]?.replace(/\s+/g, ' ').trim() ?? '';
      return ok({ name: tool, version });
    }
    if (program === 'docker' && result.exitCode === undefined)
      return fail('mysql-tool-missing', `mysql source "${name}": docker is not installed`, {
        subject: name,
      });
    if (prefix.length > 0 && !/not found|no such file/i.test(result.stderr))
      return containerFailure('mysql', source.container ?? '', name, result.stderr.trim(), {
        missing: 'mysql-container-missing',
        stopped: 'mysql-container-stopped',
        unavailable: 'mysql-container-unavailable',
      });
    tried.push(tool);
  }
  const where = source.container === undefined ? 'on PATH' : `in container ${source.container}`;
  return fail('mysql-tool-missing', `mysql source "${name}": no ${tried.join(' or ')} ${where}`, {
    subject: name,
    hint: 'install the MariaDB or MySQL client (Debian: mariadb-client), or set dump_tool',
  });
}
