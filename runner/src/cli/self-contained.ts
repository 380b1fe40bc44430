import { createRequire } from 'node:module';

/**
 * Whether this runner is the single executable (Node.js's SEA, built by
 * scripts/build-remote-runners.mjs) rather than the JS bundle run by a `node` on the host. `node:sea` is only there from Node
 * 20.12 on, and the bundle may run on an older 20.x.
 */
export function isSelfContained(): boolean {
  try {
    const sea = createRequire(__filename)('node:sea') as { isSea(): boolean };
    return sea.isSea();
  } catch {
    return false;
  }
}

/**
 * The command that starts this same runner again (for serve's one process per request): the
 * executable alone for the single executable, else node and the bundle's path.
 */
export function selfCommand(): { file: string; args: string[] } {
  if (isSelfContained()) return { file: process.execPath, args: [] };
  const script = process.argv[1];
  if (!script) throw new Error('the runner was started without a script path');
  return { file: process.execPath, args: [script] };
}
