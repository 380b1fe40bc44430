import { runChild } from '../../process/start-child';
import type { Result, RunnerErrorCode } from '../../result';
import { fail, ok, toolSaid } from '../../result';
import { resolveSecret } from '../../secrets';
import type { VerifyPostgresServer } from '../../spec/types';
import { connectionArguments, databaseArgument } from './argv';
import { pgpassEnvironment, writePgpassFile } from './pgpass';

/** The verify.postgres server, its password read once. */
export interface PostgresClientConnection {
  server: VerifyPostgresServer;
  password: string | undefined;
}

/** Checks that psql runs and reads the password of verify.postgres. */
export async function connectVerifyPostgres(
  server: VerifyPostgresServer,
  signal: AbortSignal,
): Promise<Result<PostgresClientConnection>> {
  const probe = await runChild('psql', ['--version'], { signal, timeoutMs: 60_000 });
  if (probe.exitCode !== 0)
    return fail('postgres-client-missing', 'psql (the PostgreSQL client) is not installed', {
      hint: 'install it (Debian: apt-get install postgresql-client)',
    });
  const password = await resolveSecret(
    { value: server.password, file: server.password_file, command: server.password_command },
    'the password of verify.postgres',
  );
  if (!password.ok) return password;
  return ok({ server, password: password.value });
}

/**
 * Runs psql once against `database` (the maintenance database by default), SQL from stdin text
 * or a file: unaligned, tab-separated, no headers, stopping at the first error. The password
 * goes the way the dump side sends it: a private pgpass file named by PGPASSFILE.
 */
export async function runPsql(
  connection: PostgresClientConnection,
  input: { text: string } | { file: string },
  signal: AbortSignal,
  options: { database?: string; singleTransaction?: boolean } = {},
): Promise<Result<string>> {
  const pgpass = await writePgpassFile(connection.password);
  if (!pgpass.ok) return pgpass;
  try {
    const { server } = connection;
    const result = await runChild(
      'psql',
      [
        '--no-psqlrc',
        ...connectionArguments(server),
        databaseArgument(options.database ?? server.database ?? 'postgres'),
        '--tuples-only',
        '--no-align',
        '--field-separator=\t',
        '--quiet',
        '--set=ON_ERROR_STOP=1',
        ...(options.singleTransaction ? ['--single-transaction'] : []),
        ...('file' in input ? [`--file=${input.file}`] : []),
      ],
      {
        stdin: 'file' in input ? 'ignore' : input,
        env: pgpassEnvironment(pgpass.value.path),
        signal,
      },
    );
    if (result.cancelled) return fail('cancelled', 'psql was cancelled');
    if (result.exitCode !== 0) return fail(...classifyPsqlError(result.stderr, result.exitCode));
    return ok(result.stdout);
  } finally {
    await pgpass.value.remove();
  }
}

/** psql's complaint → a stable code, the message and a hint. */
function classifyPsqlError(
  stderr: string,
  exitCode: number | undefined,
): [RunnerErrorCode, string, { hint?: string; detail?: string }] {
  const lines = stderr.split('\n').filter((line) => line.trim() !== '');
  const line = lines.find((l) => /ERROR|FATAL|error:/.test(l)) ?? lines[0] ?? '';
  const message = line.slice(0, 500) || `psql failed without a message (exit ${exitCode})`;
  const said = toolSaid(stderr);
  if (/password authentication failed|no password supplied|pg_hba\.conf/.test(stderr))
    return [
      'verify-postgres-auth',
      message,
      { hint: 'check user and password under verify.postgres', ...said },
    ];
  if (/connection to server .* failed|could not connect|Connection refused/.test(stderr))
    return [
      'verify-postgres-unreachable',
      message,
      {
        hint: 'is the server under verify.postgres running, and are host and port right?',
        ...said,
      },
    ];
  if (/permission denied to create database|must be owner/.test(stderr))
    return [
      'verify-postgres-privileges',
      message,
      {
        hint: 'give the verify role CREATEDB (ALTER ROLE <role> CREATEDB; see docs/postgres.md)',
        ...said,
      },
    ];
  return ['verify-postgres-failed', message, said];
}

/** A PostgreSQL identifier in double quotes. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
