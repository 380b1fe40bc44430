/**
 * The closed catalogue of runtime error codes: every `RunnerError.code` the runner can give, with
 * one line on what it means (diagnostics of a spec have their own catalogue, spec/codes.ts).
 * Codes are kebab-case and stable: the CLI prints them, `--json` records carry them, the
 * extension matches on them, and docs/errors.md is generated from this table
 * (`npx tsx scripts/error-reference.mts --write`). A new code is one entry here; the compiler
 * rejects any code that is not.
 */
export const RUNNER_ERROR_CODES = {
  // The command line and the spec file.
  usage: 'The command line is wrong: an unknown option, a missing or extra argument.',
  'spec-unreadable': 'The spec file cannot be read (missing, or no permission).',
  'spec-invalid': 'The spec has errors; the `diagnostics` say where.',
  'spec-unwritable': '`write-spec` could not replace the spec file.',
  'no-target': 'The spec has no target, and the command needs one.',
  'unknown-target': '`--target` names no target of the spec.',
  'unknown-source': '`--source` names no source of the spec or of the snapshot.',
  'source-needed':
    'The path could be in several sources (or the snapshot has no manifest): give `--source`.',
  'bad-snapshot-id': 'The snapshot argument is neither hex digits nor `latest`.',
  'bad-path': 'The path names something outside the snapshot (it contains `..`).',
  'schedule-unsupported':
    'The schedule cannot be written as a systemd timer (a cron feature OnCalendar lacks).',
  'daemon-no-schedule':
    '`daemon` has no schedule: the spec has none and no `--schedule` was given.',
  'daemon-schedule-invalid': 'The daemon’s schedule is not a valid cron pattern, or never runs.',
  'serve-bad-request': 'A line on `serve`’s stdin is not a request.',

  // A run as a whole.
  cancelled:
    'Cancelled (SIGINT, SIGTERM, SIGHUP, or the editor): everything started was stopped and cleaned up.',
  locked: 'Another run holds the run lock of this spec; this run did nothing.',
  'lock-io': 'The run lock file cannot be created or read.',
  'hook-failed': 'A hook could not start, or exited non-zero or by a signal.',
  'hook-timeout': 'A hook outlived its timeout and was killed with its process group.',
  'secret-unavailable':
    'A secret cannot be read: its variable is unset, its file unreadable, or its command failed.',
  'secret-pipe-failed':
    'The private pipe or file that hands a password to a tool could not be made.',
  'staging-io': 'Staging (`staging.dir`) cannot be read or written.',
  'staging-no-room': 'Staging has too little free space for this run next to the previous one.',
  'staging-unwritable': 'A scratch directory for a check or a summary cannot be made.',
  'state-io': 'The state file (`backup-yaml.state.json`) cannot be written.',
  'archive-failed': 'The archive (`archive:`) could not be written.',
  'withdraw-failed':
    'A run whose copy failed its check alongside the backup could not be fully withdrawn (its snapshots, archive or `current/`); the message says what is left.',
  'source-empty': 'A source produced nothing (no file matched): nothing was backed up.',
  'source-shrunk':
    'A source shrank far below its last size: the snapshot was kept and tagged, no retention ran.',
  'target-damaged':
    'A target’s repository failed a check (now or before): no retention runs there until a check passes.',

  // Sources: files.
  'files-missing': 'A path of a files source does not exist.',
  'files-unreadable': 'A file of a files source cannot be read.',

  // Sources: SQLite.
  'sqlite-missing': 'The SQLite database file does not exist (or disappeared during the snapshot).',
  'sqlite-not-a-database': 'The file is not a SQLite database.',
  'sqlite-busy': 'The database stayed locked by another connection longer than `busy_timeout`.',
  'sqlite-corrupt': 'The live database is corrupt (SQLite said so while reading it).',
  'sqlite-io': 'SQLite or the file system failed while reading or writing a copy of the database.',
  'sqlite-invalid-option':
    'An option of a SQLite source (such as `busy_timeout`) has a value the runner cannot use.',
  'sqlite-integrity-failed': 'A copy of the database fails `PRAGMA integrity_check`.',
  'sqlite-unreadable': 'A database in a snapshot cannot be opened for its summary.',

  // Sources: MySQL / MariaDB.
  'mysql-tool-missing': 'The dump tool (`mariadb-dump` or `mysqldump`) cannot be started.',
  'mysql-client-missing':
    'Neither `mariadb` nor `mysql` (the client, for the restore drill) is installed.',
  'mysql-container-missing': 'No Docker container has the name given in `container:`.',
  'mysql-container-stopped': 'The database container of `container:` is not running.',
  'mysql-container-unavailable':
    'Docker cannot be asked about the container (engine down, no permission).',
  'mysql-auth': 'The server refused the user or password.',
  'mysql-privileges': 'The user may not dump this database (or some of its objects).',
  'mysql-unknown-database': 'The server has no database of that name.',
  'mysql-unknown-table': 'A table of `tables:` does not exist.',
  'mysql-unreachable': 'The server cannot be reached at the host, port or socket given.',
  'mysql-dump-failed': 'The dump failed for another reason (its message says what the tool said).',
  'mysql-dump-incomplete': 'The dump does not end with `-- Dump completed`: it was cut short.',

  // Sources: PostgreSQL (sources/postgres/, docs/postgres.md).
  'postgres-tool-missing': '`pg_dump` cannot be started, on the host or in the container.',
  'postgres-client-missing': '`psql` (the client, for the restore drill) is not installed.',
  'postgres-container-missing': 'No Docker container has the name given in `container:`.',
  'postgres-container-stopped': 'The database container of `container:` is not running.',
  'postgres-container-unavailable':
    'Docker cannot be asked about the container (engine down, no permission).',
  'postgres-pgpass-failed':
    'The private pgpass file that hands the password to libpq could not be written.',
  'postgres-auth': 'The server refused the role or password (or `pg_hba.conf` refuses the login).',
  'postgres-privileges': 'The role may not read a table of the dump.',
  'postgres-unknown-database': 'The server has no database of that name.',
  'postgres-unknown-table': 'A name in `tables:` matches no table (`--strict-names`).',
  'postgres-version-mismatch': '`pg_dump` is older than the server it dumps.',
  'postgres-unreachable': 'The server cannot be reached at the host and port given.',
  'postgres-dump-failed':
    'The dump failed for another reason (pg_dump killed, the server gone; `detail` says what it said).',
  'postgres-dump-incomplete':
    'The dump does not end as a complete plain dump (`PostgreSQL database dump complete`): it was cut short.',

  // A new source type adds its `<type>-*` codes here, in a section like the four above.

  // The restore drill (`verify`) against its scratch MySQL server (`verify.mysql`).
  'verify-mysql-auth': 'The scratch server of `verify.mysql` refused its user or password.',
  'verify-mysql-unreachable': 'The scratch server of `verify.mysql` cannot be reached.',
  'verify-mysql-privileges':
    'The `verify.mysql` user may not create or load the scratch databases.',
  'verify-mysql-failed':
    'The MySQL client failed for another reason while loading or checking a dump.',

  // The restore drill (`verify`) against its scratch PostgreSQL server (`verify.postgres`).
  'verify-postgres-auth': 'The scratch server of `verify.postgres` refused its role or password.',
  'verify-postgres-unreachable': 'The scratch server of `verify.postgres` cannot be reached.',
  'verify-postgres-privileges':
    'The `verify.postgres` role may not create the scratch databases (it needs `CREATEDB`).',
  'verify-postgres-failed': 'psql failed for another reason while loading or checking a dump.',

  // restic and the targets.
  'restic-missing': 'restic cannot be started (not installed, or not on PATH).',
  'restic-too-old': 'restic is older than 0.14.',
  'restic-no-repository':
    'There is no restic repository at the target (`backup-runner init` creates it).',
  'restic-wrong-password': 'The target’s password does not open its repository.',
  'restic-locked': 'Another restic holds a lock on the repository (waited for, then given up).',
  'restic-no-space': 'The repository’s disk is full.',
  'restic-timeout':
    'A restic call outlived `timeouts.connect` or `timeouts.operation` and was stopped.',
  'restic-killed': 'restic was killed by a signal.',
  'restic-incomplete': 'restic could not read some of the files to back up (its exit 3).',
  'restic-output': 'restic printed something the runner cannot read.',
  'restic-check-failed': '`restic check` found problems in the repository.',
  'restic-failed': 'restic failed for another reason (its message says what restic said).',

  // Snapshots: listing, reading, comparing with the host.
  'no-snapshot': 'The target holds no snapshot of this spec yet.',
  'snapshot-not-found': 'No snapshot of this spec has that id.',
  'snapshot-ambiguous': 'The id prefix matches several snapshots: give more digits.',
  'not-in-snapshot': 'The path (or source) is not in the snapshot.',
  'not-a-file': 'The path is a directory or another non-file where a file is needed.',
  'not-sqlite': '`--sqlite-summary` names a file that is not a SQLite source’s database.',
  'file-too-large': 'The file is larger than `--max-bytes`.',
  'manifest-missing':
    'The snapshot has no readable `manifest.json`, so its files cannot be checked.',
  'manifest-unreadable': 'The snapshot’s `manifest.json` is not valid.',
  'not-in-source': '`current`: the path is not under the `paths` of its files source.',
  'not-on-host': '`current`: the file is not on the host now.',
  'host-file-unreadable': '`current`: the file on the host cannot be read.',

  // Restore.
  'restore-target-not-a-directory': 'The `--to` of a restore exists and is not a directory.',
  'restore-target-not-empty':
    'The `--to` directory is not empty and `--force` was not given: nothing was restored.',
  'restore-mismatch':
    'What restic restored differs from the snapshot’s manifest (sizes or SHA-256): nothing was put in place.',
  'restore-io': 'A restored file could not be put in its place.',
  'database-in-use': 'A restore in place was refused: a process has the live database open.',
  'processes-not-visible':
    'A restore in place was refused: the runner cannot see which processes use the database (another PID namespace).',
} as const satisfies Record<string, string>;

/** A runtime error code of the catalogue: the type of `RunnerError.code`. */
export type RunnerErrorCode = keyof typeof RUNNER_ERROR_CODES;
