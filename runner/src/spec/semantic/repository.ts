import type { DiagnosticReporter } from '../reporter';
import { suggest } from '../suggest';
import { asString, namedEntries } from './read';

/** The backends restic understands, as `scheme:` prefixes of a repository. */
export const REPOSITORY_SCHEMES = [
  'sftp',
  'rest',
  's3',
  'b2',
  'azure',
  'gs',
  'swift',
  'rclone',
  'local',
] as const;

export function checkRepositories(
  root: Record<string, unknown>,
  reporter: DiagnosticReporter,
): void {
  for (const [name, target] of namedEntries(root, 'targets')) {
    const repository = asString(target['repository']);
    if (!repository) continue;
    const path = ['targets', name, 'repository'];
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(repository)?.[1];
    if (repository.startsWith('/')) continue;
    if (scheme === undefined) {
      reporter.atValue(
        path,
        'relative-path',
        `repository "${repository}" is a relative path; use an absolute path or a backend such as sftp:user@host:/path`,
      );
      continue;
    }
    if (!(REPOSITORY_SCHEMES as readonly string[]).includes(scheme)) {
      const guesses = suggest(scheme, REPOSITORY_SCHEMES);
      const hint =
        guesses.length > 0
          ? `; did you mean "${guesses[0]}:"?`
          : `; restic knows ${REPOSITORY_SCHEMES.map((s) => `${s}:`).join(', ')}`;
      reporter.atValue(
        path,
        'unknown-repository-scheme',
        `unknown repository type "${scheme}:"${hint}`,
      );
    } else if (scheme === 'local' && !repository.slice('local:'.length).startsWith('/')) {
      reporter.atValue(
        path,
        'relative-path',
        `repository "${repository}" is a relative path; use local:/absolute/path`,
      );
    }
  }
}
