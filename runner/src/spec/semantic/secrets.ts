import type { Reporter } from '../reporter';
import { asRecord, asString, namedEntries } from './read';
import type { Entries } from './read';

const PASSWORD_KEYS = ['password', 'password_file', 'password_command'] as const;

/**
 * Secrets belong in files, commands or the environment: a spec is copied, committed and shown
 * in editors. Literal ones work but are reported, with what a quick fix needs to move them.
 */
export function checkSecrets(root: Record<string, unknown>, reporter: Reporter): void {
  const sources = namedEntries(root, 'sources').filter(([, source]) => source['type'] === 'mysql');
  const targets = namedEntries(root, 'targets');
  checkPasswords('sources', sources, reporter);
  checkPasswords('targets', targets, reporter);
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

function checkPasswords(
  section: 'sources' | 'targets',
  entries: Entries,
  reporter: Reporter,
): void {
  for (const [name, entry] of entries) {
    const given = PASSWORD_KEYS.filter((key) => entry[key] !== undefined);
    if (given.length > 1) {
      for (const key of given.slice(1)) {
        reporter.atKey(
          [section, name, key],
          'conflicting-keys',
          `${given.map((k) => `"${k}"`).join(' and ')} cannot be used together; keep one`,
        );
      }
    }
    if (typeof entry['password'] === 'string') {
      const envName = environmentName(section === 'sources' ? 'MYSQL' : 'RESTIC', name);
      reporter.atValue(
        [section, name, 'password'],
        'literal-secret',
        `the password of ${section === 'sources' ? 'source' : 'target'} "${name}" is written into the spec; use password_file (a file only the backup user can read) or { env: ${envName} }`,
        {
          kind: 'literal-secret',
          path: [section, name, 'password'],
          envName,
          fileKey: 'password_file',
        },
      );
    }
  }
}

function environmentName(prefix: string, name: string): string {
  return `${prefix}_PASSWORD_${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}
