import { join } from 'node:path';
import { stringify } from 'yaml';

/** The embedded default spec of `backup-runner demo`: a Torrust-like stack under `dir`. */
export function demoSpec(dir: string): string {
  const spec = {
    version: 1,
    name: 'torrust-demo',
    sources: {
      'tracker-db': {
        type: 'sqlite',
        path: join(dir, 'app/storage/tracker/lib/database/sqlite3.db'),
        integrity_check: 'full',
      },
      config: {
        type: 'files',
        paths: [join(dir, 'app/.env'), join(dir, 'app/storage/tracker/etc')],
        exclude: ['*.log'],
      },
    },
    staging: { dir: join(dir, 'staging') },
    archive: { format: 'tar.zst', dir: join(dir, 'archives'), keep_within: '7d' },
    targets: {
      local: {
        repository: join(dir, 'restic-repo'),
        password_file: join(dir, 'secrets/restic.pw'),
      },
    },
    retention: { keep_last: 5, keep_daily: 7, keep_weekly: 4 },
    schedule: '0 3 * * *',
  };
  return [
    '# A demo spec written by `backup-runner demo`: a Torrust-like SQLite database and config',
    '# files, backed up into a local restic repository. Edit it, then run it yourself with',
    `#   npx backup-runner run -c ${join(dir, 'backup.yaml')}`,
    stringify(spec),
  ].join('\n');
}
