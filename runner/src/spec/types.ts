/**
 * The typed form of a valid backup.yaml v1. `schemas/backup.schema.json` is the source of truth;
 * the `*_KEYS` tables below are checked against it by test/spec/schema.test.ts and
 * against these interfaces by the compiler, so the three cannot drift apart.
 */

export type Argv = [string, ...string[]];

export interface SecretReference {
  env?: string;
  file?: string;
  command?: Argv;
}

/** A literal string is allowed (with a warning) so a first spec works; references are preferred. */
export type Secret = string | SecretReference;

/** What every source type accepts: guards against an empty or shrunken source. */
export interface SourceGuards {
  allow_empty?: boolean;
  /** A percentage, `50%`: how much smaller than at the last success the source may become. */
  max_shrink?: string;
}

export interface SqliteSource extends SourceGuards {
  type: 'sqlite';
  path: string;
  method?: 'snapshot' | 'vacuum' | 'copy';
  integrity_check?: 'auto' | 'full' | 'quick' | 'off';
  busy_timeout?: string;
}

/** How to reach and log in to a MySQL/MariaDB server: a dump source, or the verify server. */
export interface MysqlConnection {
  host?: string;
  port?: number;
  socket?: string;
  user?: string;
  password_file?: string;
  password_command?: Argv;
  password?: Secret;
}

export interface MysqlSource extends MysqlConnection, SourceGuards {
  type: 'mysql';
  database: string;
  container?: string;
  tables?: string[];
  routines?: boolean;
  triggers?: boolean;
  events?: boolean;
  dump_tool?: 'auto' | 'mysqldump' | 'mariadb-dump';
}

/** How to reach and log in to a PostgreSQL server: a dump source, or the verify server. */
export interface PostgresConnection {
  host?: string;
  port?: number;
  user?: string;
  password_file?: string;
  password_command?: Argv;
  password?: Secret;
}

export interface PostgresSource extends PostgresConnection, SourceGuards {
  type: 'postgres';
  database: string;
  container?: string;
  tables?: string[];
}

export interface FilesSource extends SourceGuards {
  type: 'files';
  paths: string[];
  exclude?: string[];
  follow_symlinks?: boolean;
}

export type Source = SqliteSource | MysqlSource | PostgresSource | FilesSource;
export type SourceType = Source['type'];

export interface Staging {
  dir: string;
  keep_runs?: number;
}

export interface Archive {
  format?: 'tar.zst' | 'tar.gz' | 'tar';
  dir: string;
  keep_within?: string;
  level?: number;
  push?: boolean;
}

export interface Target {
  repository: string;
  password_file?: string;
  password_command?: Argv;
  password?: Secret;
  env?: Record<string, Secret>;
  options?: Record<string, string | number | boolean>;
  sources?: string[];
  compression?: 'auto' | 'off' | 'max';
  lock_wait?: string;
  timeouts?: Timeouts;
}

export interface Timeouts {
  connect?: string;
  operation?: string;
}

export interface Retention {
  keep_last?: number;
  keep_hourly?: number;
  keep_daily?: number;
  keep_weekly?: number;
  keep_monthly?: number;
  keep_yearly?: number;
  keep_within?: string;
  keep_tag?: string[];
  prune?: boolean;
}

export interface Check {
  read_data_subset?: string;
  every?: string;
}

export type VerifyMysqlServer = MysqlConnection;

export interface VerifyPostgresServer extends PostgresConnection {
  /** The database to connect to for CREATE/DROP DATABASE (default `postgres`). */
  database?: string;
}

export interface Verify {
  scratch_dir?: string;
  mysql?: VerifyMysqlServer;
  postgres?: VerifyPostgresServer;
}

export interface HookObject {
  command: Argv;
  timeout?: string;
  cwd?: string;
  env?: Record<string, string>;
}

export type Hook = Argv | HookObject;

export interface Hooks {
  before?: Hook[];
  after?: Hook[];
  on_failure?: Hook[];
}

export interface Notify {
  healthchecks?: string | SecretReference;
  status_file?: string;
  metrics_file?: string;
  stale_after?: string;
}

export interface Spec {
  version: 1;
  name?: string;
  host?: string;
  sources: Record<string, Source>;
  staging: Staging;
  archive?: Archive;
  targets?: Record<string, Target>;
  retention?: Retention;
  lock_wait?: string;
  check?: Check;
  verify?: Verify;
  schedule?: string;
  hooks?: Hooks;
  notify?: Notify;
}

/** Builds a key table that the compiler proves lists exactly the keys of T. */
function keysOf<T>() {
  return <K extends Record<keyof T, true>>(keys: K & Record<Exclude<keyof K, keyof T>, never>) =>
    Object.keys(keys) as (keyof T & string)[];
}

/** Schema definition name → the keys its TypeScript interface declares. */
export const SPEC_KEYS = {
  '#': keysOf<Spec>()({
    version: true,
    name: true,
    host: true,
    sources: true,
    staging: true,
    archive: true,
    targets: true,
    retention: true,
    lock_wait: true,
    check: true,
    verify: true,
    schedule: true,
    hooks: true,
    notify: true,
  }),
  secretReference: keysOf<SecretReference>()({ env: true, file: true, command: true }),
  sqliteSource: keysOf<SqliteSource>()({
    type: true,
    path: true,
    method: true,
    integrity_check: true,
    busy_timeout: true,
    allow_empty: true,
    max_shrink: true,
  }),
  mysqlSource: keysOf<MysqlSource>()({
    type: true,
    database: true,
    host: true,
    port: true,
    socket: true,
    user: true,
    password_file: true,
    password_command: true,
    password: true,
    container: true,
    tables: true,
    routines: true,
    triggers: true,
    events: true,
    dump_tool: true,
    allow_empty: true,
    max_shrink: true,
  }),
  postgresSource: keysOf<PostgresSource>()({
    type: true,
    database: true,
    host: true,
    port: true,
    user: true,
    password_file: true,
    password_command: true,
    password: true,
    container: true,
    tables: true,
    allow_empty: true,
    max_shrink: true,
  }),
  filesSource: keysOf<FilesSource>()({
    type: true,
    paths: true,
    exclude: true,
    follow_symlinks: true,
    allow_empty: true,
    max_shrink: true,
  }),
  staging: keysOf<Staging>()({ dir: true, keep_runs: true }),
  archive: keysOf<Archive>()({
    format: true,
    dir: true,
    keep_within: true,
    level: true,
    push: true,
  }),
  target: keysOf<Target>()({
    repository: true,
    password_file: true,
    password_command: true,
    password: true,
    env: true,
    options: true,
    sources: true,
    compression: true,
    lock_wait: true,
    timeouts: true,
  }),
  timeouts: keysOf<Timeouts>()({ connect: true, operation: true }),
  retention: keysOf<Retention>()({
    keep_last: true,
    keep_hourly: true,
    keep_daily: true,
    keep_weekly: true,
    keep_monthly: true,
    keep_yearly: true,
    keep_within: true,
    keep_tag: true,
    prune: true,
  }),
  check: keysOf<Check>()({ read_data_subset: true, every: true }),
  verify: keysOf<Verify>()({ scratch_dir: true, mysql: true, postgres: true }),
  verifyPostgresServer: keysOf<VerifyPostgresServer>()({
    host: true,
    port: true,
    user: true,
    password_file: true,
    password_command: true,
    password: true,
    database: true,
  }),
  verifyMysqlServer: keysOf<VerifyMysqlServer>()({
    host: true,
    port: true,
    socket: true,
    user: true,
    password_file: true,
    password_command: true,
    password: true,
  }),
  hookObject: keysOf<HookObject>()({ command: true, timeout: true, cwd: true, env: true }),
  hooks: keysOf<Hooks>()({ before: true, after: true, on_failure: true }),
  notify: keysOf<Notify>()({
    healthchecks: true,
    status_file: true,
    metrics_file: true,
    stale_after: true,
  }),
};
