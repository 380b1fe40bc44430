import type { DiagnosticReporter } from '../reporter';
import { sourceTypeDefinitions } from '../schema';
import { asRecord, asString, namedEntries } from './read';

const PASSWORD_KEYS = ['password', 'password_file', 'password_command'] as const;

/**
 * Secrets belong in files, commands or the environment: a spec is copied, committed and shown
 * in editors. Literal ones work but are reported, with what a quick fix needs to move them.
 */
export function checkSecrets(root: Record<string, unknown>, reporter: DiagnosticReporter): void {
  // Sources whose type has a password (in the schema): mysql and postgres.
  const withPassword = sourceTypeDefinitions()
    .filter(({ schema }) => schema.properties?.['password'])
    .map(({ type }) => type);
  const sources = namedEntries(root, 'sources').filter(([, source]) =>
    withPassword.includes(String(source['type'])),
  );
  const targets = namedEntries(root, 'targets');
  const verify = asRecord(root['verify']);
  const verifyServers = (['mysql', 'postgres'] as const).flatMap((kind) => {
    const record = asRecord(verify?.[kind]);
    return record
      ? [
          {
            path: ['verify', kind],
            record,
            // The MySQL one was the only verify server first; its wording stays.
            label: kind === 'mysql' ? 'the verify server' : `the verify.${kind} server`,
            envName: `VERIFY_${kind.toUpperCase()}_PASSWORD`,
          },
        ]
      : [];
  });
  checkPasswords(
    [
      ...sources.map(([name, record]) => ({
        path: ['sources', name],
        record,
        label: `source "${name}"`,
        envName: environmentName(String(record['type']).toUpperCase(), name),
      })),
      ...targets.map(([name, record]) => ({
        path: ['targets', name],
        record,
        label: `target "${name}"`,
        envName: environmentName('RESTIC', name),
      })),
      ...verifyServers,
    ],
    reporter,
  );
  for (const [name, target] of targets) {
    for (const [variable, value] of Object.entries(asRecord(target['env']) ?? {})) {
      if (typeof value !== 'string') continue;
      reporter.atValue(
        ['targets', name, 'env', variable],
        'literal-secret',
        `${variable} of target "${name}" is written into the spec; reference it instead: { env: ${variable} } or { file: /path/to/${variable.toLowerCase()} }`,
        {
          kind: 'literal-secret',
          path: ['targets', name, 'env', variable],
          envName: variable,
        },
      );
    }
    const repository = asString(target['repository']);
    if (repository && /^[a-z0-9]+:[a-z]+:\/\/[^/@\s]*:[^/@\s]*@/i.test(repository)) {
      reporter.atValue(
        ['targets', name, 'repository'],
        'literal-secret',
        `the repository URL of target "${name}" contains a password; put the credentials in a file or the environment (e.g. RESTIC_REST_USERNAME/RESTIC_REST_PASSWORD through env)`,
      );
    }
  }
}

/** A healthchecks ping URL lets anyone who reads it report a backup as done (or failed). */
export function checkPingUrl(root: Record<string, unknown>, reporter: DiagnosticReporter): void {
  if (typeof asRecord(root['notify'])?.['healthchecks'] !== 'string') return;
  reporter.atValue(
    ['notify', 'healthchecks'],
    'literal-secret',
    'the healthchecks ping URL is written into the spec: anyone who reads it can ping your check; use { file: /path/to/ping-url } or { env: HEALTHCHECKS_URL }',
    { kind: 'literal-secret', path: ['notify', 'healthchecks'], envName: 'HEALTHCHECKS_URL' },
  );
}

interface PasswordHolder {
  path: string[];
  record: Record<string, unknown>;
  /** `source "db"`, `target "nas"`, `the verify server`. */
  label: string;
  envName: string;
}

function checkPasswords(holders: PasswordHolder[], reporter: DiagnosticReporter): void {
  for (const { path, record, label, envName } of holders) {
    const given = PASSWORD_KEYS.filter((key) => record[key] !== undefined);
    for (const key of given.slice(1)) {
      reporter.atKey(
        [...path, key],
        'conflicting-keys',
        `${given.map((k) => `"${k}"`).join(' and ')} cannot be used together; keep one`,
      );
    }
    if (typeof record['password'] === 'string') {
      reporter.atValue(
        [...path, 'password'],
        'literal-secret',
        `the password of ${label} is written into the spec; use password_file (a file only the backup user can read) or { env: ${envName} }`,
        { kind: 'literal-secret', path: [...path, 'password'], envName, fileKey: 'password_file' },
      );
    }
  }
}

function environmentName(prefix: string, name: string): string {
  return `${prefix}_PASSWORD_${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}
