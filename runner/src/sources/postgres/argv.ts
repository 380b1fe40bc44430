import type { PostgresConnection, PostgresSource } from '../../spec/types';

/**
 * Inside a container the password arrives on stdin, but libpq reads a password file only when
 * it is a plain file. This fixed script (no word of it comes from the spec: the command and its
 * arguments are its positional parameters) copies stdin into a private mktemp file, runs the
 * command with PGPASSFILE pointing at it, and removes it.
 */
export const CONTAINER_PGPASS_SCRIPT =
  'umask 077; f=$(mktemp) || exit 70; trap \'rm -f "$f"\' EXIT HUP INT TERM; cat > "$f"; PGPASSFILE="$f" "$@"';

/**
 * `docker exec -i <container> sh -c <script> pgpass` in front of the tool when the source names
 * a container; nothing otherwise (the pgpass file is then given through the environment).
 */
export function commandPrefix(source: PostgresSource): string[] {
  return source.container === undefined
    ? []
    : ['docker', 'exec', '-i', source.container, 'sh', '-c', CONTAINER_PGPASS_SCRIPT, 'pgpass'];
}

/** `--host`, `--port`, `--username` and `--no-password` (never prompt: there is no terminal). */
export function connectionArguments(connection: PostgresConnection): string[] {
  return [
    ...(connection.host !== undefined ? [`--host=${connection.host}`] : []),
    ...(connection.port !== undefined ? [`--port=${connection.port}`] : []),
    ...(connection.user !== undefined ? [`--username=${connection.user}`] : []),
    '--no-password',
  ];
}

/**
 * `--dbname=<name>`. libpq takes a --dbname holding "=" or starting with a URI scheme as a whole
 * connection string; such a name is given as `dbname='<name>'` so it stays a name.
 */
export function databaseArgument(database: string): string {
  if (!database.includes('=') && !/^postgres(ql)?:\/\//.test(database))
    return `--dbname=${database}`;
  return `--dbname=dbname='${database.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * A `--table` pattern that matches exactly this name: inside double quotes pg_dump's wildcards
 * are literal. `schema.table` names a table in that schema.
 */
export function tablePattern(table: string): string {
  const quote = (part: string) => `"${part.replace(/"/g, '""')}"`;
  const dot = table.indexOf('.');
  return dot > 0 && dot < table.length - 1
    ? `${quote(table.slice(0, dot))}.${quote(table.slice(dot + 1))}`
    : quote(table);
}

/**
 * pg_dump's arguments. No secret is among them; they may show in `ps` and the plan.
 *
 * Plain SQL, uncompressed: restic deduplicates and compresses it (a custom-format archive is
 * compressed by default and would be new bytes every run), a person can read it, and its
 * "dump complete" trailer proves it was not cut short. pg_dump reads everything in one
 * repeatable-read transaction: one consistent snapshot, writers are never blocked.
 */
export function dumpArguments(source: PostgresSource): string[] {
  return [
    ...connectionArguments(source),
    '--format=plain',
    '--encoding=UTF8',
    // Owners and GRANTs name roles, which live in the cluster, not the database: a dump that
    // names none loads into any server (a scratch database, a new host) as the restoring role.
    '--no-owner',
    '--no-privileges',
    // Progress and the list of dumped tables come from these stderr lines.
    '--verbose',
    ...(source.tables === undefined
      ? []
      : ['--strict-names', ...source.tables.map((table) => `--table=${tablePattern(table)}`)]),
    databaseArgument(source.database),
  ];
}

/**
 * The stable file name of a database's dump inside the source's staging directory. A name can
 * hold characters a file name cannot; those become "_".
 */
export function dumpFileName(database: string): string {
  const safe = database.replace(/[/\\\0]/g, '_');
  return `${safe === '.' || safe === '..' ? `_${safe}` : safe}.sql`;
}
