import { runChild } from '../../process/start-child';
import type { Result } from '../../result';
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
  return containerFailure(source.container, name, result.stderr.trim());
}

/**
 * Why `docker exec` could not run pg_dump in the container, told apart by what the daemon says:
 * the container does not exist, it is not running, it has no pg_dump, or something else.
 */
function containerFailure(container: string, name: string, stderr: string): Result<never> {
  const message = `postgres source "${name}": docker exec in ${container} failed: ${stderr}`;
  if (/no such container/i.test(stderr))
    return fail('postgres-container-missing', message, {
      subject: name,
      hint: 'check `container:` (docker ps -a lists the names; Compose v1 names them project_service_1, v2 project-service-1)',
    });
  if (/is not running|is paused|is restarting/i.test(stderr))
    return fail('postgres-container-stopped', message, {
      subject: name,
      hint: 'start the database container before the backup',
    });
  if (/not found|no such file/i.test(stderr))
    return fail('postgres-tool-missing', message, {
      subject: name,
      hint: 'the container has no pg_dump: use the server image (postgres:<major>) or dump over TCP',
    });
  return fail('postgres-container-unavailable', message, {
    subject: name,
    hint: 'is the Docker engine running, and may this user use docker?',
  });
}
