/**
 * Snippets for a new source or target, in LSP snippet syntax (`${1:default}`). The first line is
 * the entry's name; the others are indented relative to it. Each one validates without errors
 * as written (a test inserts every one into a spec and validates it).
 */
export interface EntryTemplate {
  /** Which mapping it belongs in. */
  section: 'sources' | 'targets';
  label: string;
  description: string;
  lines: string[];
}

const secretFile = (placeholder: number, name: string) =>
  `{ file: \${${placeholder}:/etc/backup-yaml/${name}} }`;

export const ENTRY_TEMPLATES: readonly EntryTemplate[] = [
  {
    section: 'sources',
    label: 'sqlite source',
    description:
      'A SQLite database, snapshotted in one read transaction while the application runs.',
    lines: [
      '${1:tracker-db}:',
      '  type: sqlite',
      '  path: ${2:/opt/torrust/storage/tracker/lib/database/sqlite3.db}',
    ],
  },
  {
    section: 'sources',
    label: 'mysql source',
    description: 'A MySQL or MariaDB database, dumped with --single-transaction.',
    lines: [
      '${1:index-db}:',
      '  type: mysql',
      '  database: ${2:torrust_index}',
      '  host: ${3:127.0.0.1}',
      '  user: ${4:backup}',
      '  password_file: ${5:/etc/backup-yaml/mysql.pw}',
    ],
  },
  {
    section: 'sources',
    label: 'postgres source',
    description: 'A PostgreSQL database, dumped with pg_dump in one consistent snapshot.',
    lines: [
      '${1:tracker-db}:',
      '  type: postgres',
      '  database: ${2:torrust_tracker}',
      '  host: ${3:127.0.0.1}',
      '  user: ${4:backup}',
      '  password_file: ${5:/etc/backup-yaml/postgres.pw}',
    ],
  },
  {
    section: 'sources',
    label: 'files source',
    description: 'Configuration files and directories, copied as they are.',
    lines: ['${1:config}:', '  type: files', '  paths:', '    - ${2:/opt/torrust/.env}'],
  },
  {
    section: 'targets',
    label: 'local target',
    description: 'A restic repository in a local directory (another disk, a mounted NAS).',
    lines: [
      '${1:local}:',
      '  repository: ${2:/mnt/backup/restic}',
      '  password_file: ${3:/etc/backup-yaml/restic.pw}',
    ],
  },
  {
    section: 'targets',
    label: 'sftp target',
    description: 'A restic repository on another machine, over SSH.',
    lines: [
      '${1:offsite}:',
      '  repository: sftp:${2:backup}@${3:nas.example.org}:${4:/srv/restic}',
      '  password_file: ${5:/etc/backup-yaml/restic.pw}',
    ],
  },
  {
    section: 'targets',
    label: 's3 target',
    description: 'A restic repository in an S3 bucket (AWS or any S3-compatible store).',
    lines: [
      '${1:s3}:',
      '  repository: s3:${2:s3.amazonaws.com}/${3:bucket}/${4:backup}',
      '  password_file: ${5:/etc/backup-yaml/restic.pw}',
      '  env:',
      `    AWS_ACCESS_KEY_ID: ${secretFile(6, 'aws-access-key-id')}`,
      `    AWS_SECRET_ACCESS_KEY: ${secretFile(7, 'aws-secret-access-key')}`,
    ],
  },
  {
    section: 'targets',
    label: 'b2 target',
    description: 'A restic repository in a Backblaze B2 bucket.',
    lines: [
      '${1:b2}:',
      '  repository: b2:${2:bucket}:${3:backup}',
      '  password_file: ${4:/etc/backup-yaml/restic.pw}',
      '  env:',
      `    B2_ACCOUNT_ID: ${secretFile(5, 'b2-account-id')}`,
      `    B2_ACCOUNT_KEY: ${secretFile(6, 'b2-account-key')}`,
    ],
  },
  {
    section: 'targets',
    label: 'rest target',
    description: "A restic repository on a rest-server (restic's own HTTP server).",
    lines: [
      '${1:rest}:',
      '  repository: rest:https://${2:backup.example.org:8000}/${3:backup}',
      '  password_file: ${4:/etc/backup-yaml/restic.pw}',
      '  env:',
      `    RESTIC_REST_USERNAME: ${secretFile(5, 'rest-username')}`,
      `    RESTIC_REST_PASSWORD: ${secretFile(6, 'rest-password')}`,
    ],
  },
];

/** Common schedules offered for `schedule`; presets are what crontab and systemd both know. */
export const CRON_PRESETS: readonly string[] = [
  '@daily',
  '@hourly',
  '@weekly',
  '@monthly',
  '@yearly',
  '0 3 * * *',
  '30 */6 * * *',
  '0 2 * * 0',
  '*/15 * * * *',
];

/** The snippet as text to insert at `indent`, its name placeholder defaulting to `name`. */
export function renderTemplate(template: EntryTemplate, indent: string, name?: string): string {
  const lines = [...template.lines];
  if (name) lines[0] = (lines[0] ?? '').replace(/^\$\{1:[^}]*\}/, `\${1:${escapeSnippet(name)}}`);
  return lines.join(`\n${indent}`);
}

/** A snippet with each placeholder replaced by its default: what a client without snippets gets. */
export function snippetToText(snippet: string): string {
  return snippet
    .replace(/\$\{\d+:((?:\\.|[^}\\])*)\}/g, (_match, text: string) => text.replace(/\\(.)/g, '$1'))
    .replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1')
    .replace(/\$\{\d+\}|\$\d+/g, '');
}

export function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, '\\$&');
}
