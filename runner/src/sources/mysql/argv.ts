import type { MysqlSource } from '../../spec/types';

/** The dump programs the runner knows; `auto` tries them in this order. */
export type DumpToolName = 'mariadb-dump' | 'mysqldump';

export function dumpToolCandidates(source: MysqlSource): DumpToolName[] {
  const wanted = source.dump_tool ?? 'auto';
  return wanted === 'auto' ? ['mariadb-dump', 'mysqldump'] : [wanted];
}

/**
 * Where the option file with the password is read from: a FIFO of ours on the host, or the
 * process's stdin inside a container (`docker exec -i` passes no other descriptor).
 */
export function optionsPathFor(source: MysqlSource, hostFifo: string): string {
  return source.container === undefined ? hostFifo : '/dev/stdin';
}

/** `docker exec -i <container>` in front of the dump tool when the source names a container. */
export function commandPrefix(source: MysqlSource): string[] {
  return source.container === undefined ? [] : ['docker', 'exec', '-i', source.container];
}

/**
 * The dump tool's arguments. `--defaults-extra-file` must come first (both tools ignore it
 * elsewhere). Everything else here is no secret and may show in `ps` and the plan.
 */
export function dumpArguments(source: MysqlSource, optionsPath: string): string[] {
  const args = [`--defaults-extra-file=${optionsPath}`];
  if (source.host !== undefined) args.push(`--host=${source.host}`);
  if (source.port !== undefined) args.push(`--port=${source.port}`);
  if (source.socket !== undefined) args.push(`--socket=${source.socket}`);
  if (source.user !== undefined) args.push(`--user=${source.user}`);
  args.push(
    // One consistent snapshot of InnoDB tables without blocking writers.
    '--single-transaction',
    '--skip-lock-tables',
    '--quick',
    // Binary columns (info hashes) survive any character set of the restore.
    '--hex-blob',
    '--default-character-set=utf8mb4',
    // MySQL 8 needs the PROCESS privilege for tablespaces and only prints an error without it.
    '--no-tablespaces',
    '--max-allowed-packet=1G',
    // The trailer ("-- Dump completed") is a comment: force comments on over any option file.
    '--comments',
    // Progress and the list of dumped tables come from these stderr lines.
    '--verbose',
    source.routines === false ? '--skip-routines' : '--routines',
    source.triggers === false ? '--skip-triggers' : '--triggers',
    source.events === false ? '--skip-events' : '--events',
    // A database or table name starting with "-" is a name, not an option.
    '--',
    source.database,
    ...(source.tables ?? []),
  );
  return args;
}

/**
 * The stable file name of a database's dump inside the source's staging directory. A name can
 * hold characters a file name cannot; those become "_".
 */
export function dumpFileName(database: string): string {
  const safe = database.replace(/[/\\\0]/g, '_');
  return `${safe === '.' || safe === '..' ? `_${safe}` : safe}.sql`;
}
