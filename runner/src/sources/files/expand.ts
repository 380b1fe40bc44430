import { lstat } from 'node:fs/promises';
import { glob, isDynamicPattern } from 'tinyglobby';
import type { Result } from '../../result';
import { errorMessage, fail, ok } from '../../result';

export interface ExpandedPaths {
  paths: string[];
  /** Globs that matched nothing: worth a warning, not a failure. */
  emptyGlobs: string[];
}

/**
 * Turns the spec's `paths` into existing absolute paths. A plain path that does not exist is an
 * error (a config file that silently stops being backed up is how data gets lost); a glob that
 * matches nothing is a warning.
 */
export async function expandPaths(
  patterns: string[],
  subject: string,
): Promise<Result<ExpandedPaths>> {
  const paths = new Set<string>();
  const emptyGlobs: string[] = [];
  for (const pattern of patterns) {
    if (isDynamicPattern(pattern)) {
      const matches = await glob(pattern, {
        absolute: true,
        dot: true,
        onlyFiles: false,
        followSymbolicLinks: false,
        expandDirectories: false,
      });
      if (matches.length === 0) emptyGlobs.push(pattern);
      for (const match of matches.sort()) paths.add(match.replace(/\/$/, ''));
      continue;
    }
    try {
      await lstat(pattern);
      paths.add(pattern.replace(/(.)\/+$/, '$1'));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        return fail('files-missing', `${pattern} does not exist`, {
          subject,
          hint: 'fix the path in the spec, or remove it if the file is gone on purpose',
        });
      }
      return fail('files-unreadable', `${pattern}: ${errorMessage(error)}`, { subject });
    }
  }
  // A path inside another listed path is copied with it; copying it again would collide.
  const sorted = [...paths].sort();
  const roots = sorted.filter(
    (path) =>
      !sorted.some((other) => other !== path && path.startsWith(other === '/' ? '/' : `${other}/`)),
  );
  return ok({ paths: roots, emptyGlobs });
}
