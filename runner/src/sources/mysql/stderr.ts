import type { DumpFailure } from '../dump-process';

/**
 * Reading what mysqldump/mariadb-dump print on stderr. With --verbose they narrate in lines that
 * start with "-- "; warnings say so; anything else is taken as an error, so an unknown complaint
 * refuses the dump rather than letting a doubtful one through.
 */
export type StderrLine =
  | { kind: 'table'; table: string }
  | { kind: 'info' }
  | { kind: 'warning'; text: string }
  | { kind: 'error'; text: string };

export function classifyStderrLine(line: string): StderrLine {
  const text = line.trim();
  if (text === '') return { kind: 'info' };
  const table = /^-- Retrieving table structure for table (.+)\.\.\.$/.exec(text)?.[1];
  if (table !== undefined) return { kind: 'table', table };
  if (text.startsWith('-- ')) return { kind: 'info' };
  if (/\bwarning\b|deprecated/i.test(text)) return { kind: 'warning', text };
  return { kind: 'error', text };
}

/** A stable error code for a failed dump, from the MySQL error number in its message. */
export function diagnoseFailure(errors: string[], exit: string): DumpFailure {
  const text = errors.join('\n');
  const first = errors[0] ?? `the dump tool ${exit} without a message`;
  const number = Number(/Got error: (\d+)/.exec(text)?.[1] ?? /\((\d{4})\)/.exec(text)?.[1]);
  const connecting = /when trying to connect/.test(text);
  const message = `${first} (${exit})`;
  if (number === 1045 || number === 1698)
    return {
      code: 'mysql-auth',
      message,
      hint: 'check the user and the password source; a password in ~/.my.cnf of the user running the backup overrides the one given here',
    };
  if (number === 1044)
    return {
      code: 'mysql-privileges',
      message,
      hint: 'the user may not use this database, or it does not exist: check `database:` and the grants',
    };
  if ([1142, 1143, 1227, 1370].includes(number))
    return {
      code: 'mysql-privileges',
      message,
      hint: 'grant the backup user SELECT, SHOW VIEW, TRIGGER, EVENT and LOCK TABLES on the database (routines need SHOW ROUTINE or SELECT on mysql.proc)',
    };
  if (number === 1049)
    return { code: 'mysql-unknown-database', message, hint: 'check `database:`' };
  if (/Couldn't find table/.test(text))
    return { code: 'mysql-unknown-table', message, hint: 'check `tables:`' };
  if (connecting || [2002, 2003, 2005].includes(number))
    return {
      code: 'mysql-unreachable',
      message,
      hint: 'is the server running, and are host, port or socket right?',
    };
  return { code: 'mysql-dump-failed', message };
}
