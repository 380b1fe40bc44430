import { runChild } from '../../process/start-child';
import type { Result } from '../../result';
import { containerFailure } from '../container-exec';
import { fail, ok } from '../../result';
import type { PostgresSource } from '../../spec/types';

/**
 * The first line of `pg_dump --version` (e.g. "pg_dump (PostgreSQL) 15.18 (Debian ...)"), on the
 * host or in the container: proves the tool runs before the dump is started.
 */
export async function pgDumpVersion(
  source: PostgresSource,
  name: string,
  signal: AbortSignal,
): Promise<Result<string>> {
  const argv =
    source.container === undefined
      ? ['pg_dump', '--version']
      : ['docker', 'exec', source.container, 'pg_dump', '--version'];
  const [program, ...args] = argv as [string, ...string[]];
  const result = await runChild(program, args, { timeoutMs: 60_000, signal });
  if (result.cancelled) return fail('cancelled', `postgres source "${name}": cancelled`);
  if (result.exitCode === 0)
    return ok(result.stdout.split('\n')[0]?.replace(/\s+/g, ' ').trim() ?? '');
  if (source.container === undefined || result.exitCode === undefined) {
    const what = source.container === undefined ? 'pg_dump' : 'docker';
    return fail('postgres-tool-missing', `postgres source "${name}": cannot run ${what}`, {
      subject: name,
      hint:
        source.container === undefined
          ? 'install the PostgreSQL client (Debian: postgresql-client), as new as the server'
          : 'install docker, or dump over TCP without `container:`',
    });
  }
  return containerFailure('postgres', source.container, name, result.stderr.trim(), {
    missing: 'postgres-container-missing',
    stopped: 'postgres-container-stopped',
    unavailable: 'postgres-container-unavailable',
    toolMissing: {
      code: 'postgres-tool-missing',
      hint: 'the container has no pg_dump: use the server image (postgres:<major>) or dump over TCP',
    },
  });
}
