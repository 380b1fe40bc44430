import { runChild } from '../process/start-child';
import type { Result } from '../result';
import { fail, ok } from '../result';
import { openSecretFifo } from '../secret-fifo';
import { renderClientOptions } from '../sources/mysql/options-file';
import type { VerifyMysqlServer } from '../spec/types';

/** A MySQL/MariaDB server the runner talks to with the command-line client. */
export interface MysqlConnection {
  program: 'mariadb' | 'mysql';
  server: VerifyMysqlServer;
  password: string | undefined;
}

/** The client program: `mariadb` (MariaDB 10.4+, Debian's default), else `mysql`. */
export async function findMysqlClient(
  signal: AbortSignal,
): Promise<Result<MysqlConnection['program']>> {
  for (const program of ['mariadb', 'mysql'] as const) {
    const probe = await runChild(program, ['--version'], { signal, timeoutMs: 60_000 });
    if (probe.exitCode === 0) return ok(program);
  }
  return fail('mysql-client-missing', 'neither mariadb nor mysql (the client) is installed', {
    hint: 'install it (Debian: apt-get install mariadb-client)',
  });
}

/**
 * Runs the client once, SQL on stdin (text or a file). The password goes the way the dump side
 * sends it: in an option file the client reads from a private FIFO (`--defaults-extra-file`,
 * which must come first), never argv or environment. stderr is the server's complaint, with no
 * secret in it.
 */
export async function runMysqlClient(
  connection: MysqlConnection,
  args: string[],
  input: { text: string } | { file: string },
  signal: AbortSignal,
): Promise<Result<string>> {
  const fifo = await openSecretFifo(renderClientOptions(connection.password));
  if (!fifo.ok) return fifo;
  try {
    const { server } = connection;
    const result = await runChild(
      connection.program,
      [
        `--defaults-extra-file=${fifo.value.path}`,
        ...(server.host !== undefined ? [`--host=${server.host}`] : []),
        ...(server.port !== undefined ? [`--port=${server.port}`] : []),
        ...(server.socket !== undefined ? [`--socket=${server.socket}`] : []),
        ...(server.user !== undefined ? [`--user=${server.user}`] : []),
        '--batch',
        '--skip-column-names',
        '--default-character-set=utf8mb4',
        ...args,
      ],
      { stdin: input, signal },
    );
    if (result.cancelled) return fail('cancelled', 'the MySQL client was cancelled');
    if (result.exitCode !== 0) return fail(...classifyClientError(result.stderr));
    return ok(result.stdout);
  } finally {
    await fifo.value.close();
  }
}

/** `ERROR 1045 (28000): Access denied ...` → a stable code, the message and a hint. */
function classifyClientError(stderr: string): [string, string, { hint?: string }] {
  const line =
    stderr.split('\n').find((l) => /^ERROR/.test(l)) ?? stderr.trim().split('\n')[0] ?? '';
  const message = line.slice(0, 500) || 'the MySQL client failed without a message';
  const number = Number(/^ERROR (\d+)/.exec(line)?.[1]);
  if (number === 1045 || number === 1698)
    return ['verify-mysql-auth', message, { hint: 'check user and password under verify.mysql' }];
  if ([2002, 2003, 2005, 2013].includes(number))
    return [
      'verify-mysql-unreachable',
      message,
      { hint: 'is the server under verify.mysql running, and are host, port or socket right?' },
    ];
  if ([1044, 1142, 1227, 1370].includes(number))
    return [
      'verify-mysql-privileges',
      message,
      { hint: 'grant the verify user ALL on `backup\\_yaml\\_verify\\_%`.* (see docs/restore.md)' },
    ];
  return ['verify-mysql-failed', message, {}];
}

/** A MySQL identifier in backquotes. */
export function quoteIdentifier(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/** A MySQL string literal. */
export function quoteString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
