import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '..', '..');
export const runnerBin = join(repoRoot, 'runner', 'bin', 'backup-runner.cjs');
export const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', 'spec', name);
