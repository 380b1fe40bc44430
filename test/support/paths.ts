import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '..', '..');
/** The runner under test; BACKUP_YAML_RUNNER_BIN runs the suites against another build. */
export const runnerBin =
  process.env['BACKUP_YAML_RUNNER_BIN'] ?? join(repoRoot, 'runner', 'bin', 'backup-runner.cjs');
export const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', 'spec', name);
