/**
 * A valid backup.yaml of about `lines` lines, shaped like a real one that grew large: many
 * sources of every type with comments, several targets that list sources, retention, checks,
 * a schedule, hooks and notifications.
 */
export function generatedSpec(lines: number): string {
  const head = [
    '# A generated spec for the language-server benchmark.',
    'version: 1',
    'name: bench',
    'host: bench-vm',
    '',
  ];
  const tail = [
    '',
    'staging:',
    '  dir: /var/backups/bench/staging',
    '  keep_runs: 1',
    '',
    'targets:',
    '  local:',
    '    repository: /mnt/backup/restic',
    '    password_file: /etc/backup-yaml/restic.pw',
    '  offsite:',
    '    repository: sftp:backup@nas.example.org:/srv/restic/bench',
    '    password_file: /etc/backup-yaml/restic-offsite.pw',
    '    sources: [db-0, my-1, cfg-2]',
    '    compression: max',
    '',
    'retention:',
    '  keep_daily: 7',
    '  keep_weekly: 4',
    '  keep_monthly: 6',
    '',
    'check:',
    '  read_data_subset: 5%',
    '  every: 7d',
    '',
    "schedule: '0 3 * * *'",
    '',
    'hooks:',
    '  before:',
    '    - [systemctl, stop, app]',
    '  after:',
    '    - command: [systemctl, start, app]',
    '      timeout: 2m',
    '',
    'notify:',
    '  healthchecks: { file: /etc/backup-yaml/healthchecks.url }',
    '  status_file: /var/lib/backup-yaml/bench.status.json',
    '  stale_after: 26h',
  ];
  const sources = ['sources:'];
  for (let n = 0; head.length + sources.length + tail.length < lines; n++) {
    if (n % 3 === 0) {
      sources.push(
        `  # Application ${n}: its SQLite database, snapshotted while it runs.`,
        `  db-${n}:`,
        '    type: sqlite',
        `    path: /srv/app${n}/data/app.sqlite`,
        '    integrity_check: auto # full below 1 GiB',
        '    busy_timeout: 30s',
      );
    } else if (n % 3 === 1) {
      sources.push(
        `  my-${n}:`,
        '    type: mysql',
        `    database: app_${n}`,
        '    host: 127.0.0.1',
        '    user: backup',
        `    password_file: /etc/backup-yaml/mysql-${n}.pw`,
        '    tables: [users, sessions, events]',
        '    dump_tool: auto',
      );
    } else {
      sources.push(
        `  cfg-${n}:`,
        '    type: files',
        '    paths:',
        `      - /etc/app${n}/config.toml`,
        `      - /etc/app${n}/.env`,
        "    exclude: ['*.log', '*.tmp']",
      );
    }
  }
  return [...head, ...sources, ...tail, ''].join('\n');
}

/**
 * The document after the i-th keystroke, typing in turn in the header comment (every entry
 * after it moves), in a source in the middle, and in the retention near the end: each version
 * differs from the one before in one place. No version repeats within 150 keystrokes, so no
 * cache holds it yet, as in an editor.
 */
export function typedVersions(base: string): (i: number) => string {
  const middle = middleSource(base);
  return (i) => {
    const typed = (place: number) => 'x'.repeat(Math.floor((i + 2 - place) / 3) % 50);
    return base
      .replace('benchmark.', `benchmark${typed(0)}.`)
      .replace(middle, middle.replace('.sqlite', `${typed(1)}.sqlite`))
      .replace('  keep_daily: 7', `  keep_daily: 7${typed(2).replace(/x/g, '0')}`);
  };
}

/**
 * A version with a new top-level key being typed after `host:`, before its colon: the YAML does
 * not parse there (a key without a value), as after most keystrokes of a new key. Every line
 * after it is one further down.
 */
export function brokenVersion(text: string, i: number): string {
  return text.replace('host: bench-vm\n', `host: bench-vm\nna${'m'.repeat(i % 2)}\n`);
}

/** The path line of the SQLite source nearest the middle of the text. */
function middleSource(base: string): string {
  const lines = base.split('\n');
  const half = Math.floor(lines.length / 2);
  return lines.slice(half).find((line) => line.startsWith('    path: /srv/app')) ?? '';
}
