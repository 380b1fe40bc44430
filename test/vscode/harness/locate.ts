import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';

/** Where scripts/install-code-server.sh put code-server (outside the project's node_modules). */
export function codeServerEntry(): string {
  const override = process.env['BACKUP_YAML_CODE_SERVER'];
  if (override) return override;
  const cache =
    process.env['BACKUP_YAML_CACHE'] ??
    join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'backup-yaml');
  const entry = join(
    cache,
    `code-server-${CODE_SERVER_VERSION}`,
    'node_modules',
    'code-server',
    'out',
    'node',
    'entry.js',
  );
  if (!existsSync(entry)) {
    throw new Error(
      `code-server ${CODE_SERVER_VERSION} is not installed at ${entry}; run scripts/install-code-server.sh (.ci/run does)`,
    );
  }
  return entry;
}

export function chromiumPath(): string {
  const path = process.env['BACKUP_YAML_CHROMIUM'] ?? '/usr/bin/chromium';
  if (!existsSync(path))
    throw new Error(
      `Chromium is not installed at ${path}; apt-get install chromium (.ci/run does)`,
    );
  return path;
}
