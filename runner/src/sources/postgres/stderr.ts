import type { DumpFailure } from '../dump-process';

/**
 * Reading what pg_dump prints on stderr. With --verbose it narrates in lines that start with
 * "pg_dump: "; errors and warnings say so, and libpq adds indented or "detail:" lines after an
 * error. Anything else is taken as an error, so an unknown complaint refuses the dump rather
 * than letting a doubtful one through.
 */
export type StderrLine =
  | { kind: 'table'; table: string }
  | { kind: 'info' }
  | { kind: 'detail'; text: string }
  | { kind: 'warning'; text: string }
  | { kind: 'error'; text: string };

export function classifyStderrLine(line: string): StderrLine {
  const text = line.replace(/\r$/, '');
  if (text.trim() === '') return { kind: 'info' };
  const table = /^pg_dump: dumping contents of table "(.+)"$/.exec(text)?.[1];
  if (table !== undefined) return { kind: 'table', table };
  const error = /^pg_dump: error: (.*)$/.exec(text)?.[1];
  if (error !== undefined) return { kind: 'error', text: error };
  const warning = /^(?:pg_dump: warning: |WARNING: {1,2})(.*)$/.exec(text)?.[1];
  if (warning !== undefined) return { kind: 'warning', text: warning };
  const detail = /^pg_dump: (?:detail|hint): (.*)$/.exec(text)?.[1];
  if (detail !== undefined) return { kind: 'detail', text: detail };
  if (text.startsWith('pg_dump: ')) return { kind: 'info' };
  // libpq continues a connection error on indented lines ("\tIs the server running ...").
  if (/^\s/.test(text) || /^password retrieved from file/.test(text))
    return { kind: 'detail', text: text.trim() };
  return { kind: 'error', text };
}

/** A stable error code for a failed dump, from what pg_dump and libpq said. */
export function diagnoseFailure(errors: string[], exit: string): DumpFailure {
  const text = errors.join('\n');
  const first = errors[0] ?? `pg_dump ${exit} without a message`;
  const message = `${first} (${exit})`;
  if (
    /password authentication failed|no password supplied|pg_hba\.conf|authentication failed/i.test(
      text,
    )
  )
    return {
      code: 'postgres-auth',
      message,
      hint: 'check the user and the password source; a PGPASSWORD or ~/.pgpass of the user running the backup is not used',
    };
  if (/database ".*" does not exist/.test(text))
    return { code: 'postgres-unknown-database', message, hint: 'check `database:`' };
  if (/no matching (tables|schemas) were found/.test(text))
    return {
      code: 'postgres-unknown-table',
      message,
      hint: 'check `tables:` (a name is taken literally; `schema.table` for another schema)',
    };
  if (/permission denied/i.test(text))
    return {
      code: 'postgres-privileges',
      message,
      hint: 'grant the backup role SELECT on the tables (PostgreSQL 14+: GRANT pg_read_all_data TO <role>)',
    };
  if (/server version mismatch/i.test(text))
    return {
      code: 'postgres-version-mismatch',
      message,
      hint: 'pg_dump must be as new as the server: install the matching client, or dump inside the server container (`container:`)',
    };
  if (
    /connection to server .* failed|could not connect|could not translate host name|Connection refused|timeout expired/i.test(
      text,
    )
  )
    return {
      code: 'postgres-unreachable',
      message,
      hint: 'is the server running, and are host and port right?',
    };
  return { code: 'postgres-dump-failed', message };
}
