import { createHash } from 'node:crypto';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { errorMessage } from '../result';
import type { ManifestEntry } from '../staging/manifest';
import { sha256File } from '../staging/manifest';

export interface FileProblem {
  /** Relative to the run directory, as in the manifest: `<source>/...`. */
  path: string;
  problem: 'missing' | 'type' | 'size' | 'sha256' | 'unreadable' | 'unexpected';
  detail: string;
}

export interface FilesCheck {
  /** Files the manifest names here, and their bytes. */
  files: number;
  bytes: number;
  /** Of those, the ones restored with the right type, size and sha256. */
  verified: number;
  problems: FileProblem[];
}

/**
 * Compares restored files with what the manifest recorded when they were staged: every entry
 * must be there with its type, size and sha256, and nothing else may be under `scope` (a file
 * the manifest does not know was not staged by the run).
 */
export async function checkRestoredFiles(
  runDir: string,
  entries: ManifestEntry[],
  scope: string,
  signal: AbortSignal,
): Promise<FilesCheck> {
  const check: FilesCheck = { files: entries.length, bytes: 0, verified: 0, problems: [] };
  for (const entry of entries) {
    if (signal.aborted) break;
    check.bytes += entry.size;
    const problem = await compare(runDir, entry);
    if (problem) check.problems.push(problem);
    else check.verified++;
  }
  const known = new Set(entries.map((e) => e.path));
  for (const path of await filesUnder(runDir, join(runDir, scope)))
    if (!known.has(path))
      check.problems.push({ path, problem: 'unexpected', detail: 'not in the manifest' });
  return check;
}

async function compare(runDir: string, entry: ManifestEntry): Promise<FileProblem | undefined> {
  const path = join(runDir, entry.path);
  const problem = (kind: FileProblem['problem'], detail: string): FileProblem => ({
    path: entry.path,
    problem: kind,
    detail,
  });
  try {
    const info = await lstat(path).catch(() => undefined);
    if (!info) return problem('missing', 'not restored');
    if (entry.type === 'symlink') {
      if (!info.isSymbolicLink()) return problem('type', 'a symlink was staged');
      const text = await readlink(path);
      const digest = createHash('sha256').update(text).digest('hex');
      return digest === entry.sha256 ? undefined : problem('sha256', 'the link target differs');
    }
    if (!info.isFile()) return problem('type', 'a regular file was staged');
    if (info.size !== entry.size)
      return problem('size', `${info.size} bytes restored, ${entry.size} staged`);
    const digest = await sha256File(path);
    return digest === entry.sha256
      ? undefined
      : problem(
          'sha256',
          `sha256 ${digest.slice(0, 12)}… restored, ${entry.sha256.slice(0, 12)}… staged`,
        );
  } catch (error) {
    return problem('unreadable', errorMessage(error));
  }
}

/** Every non-directory under dir, relative to runDir. */
async function filesUnder(runDir: string, dir: string): Promise<string[]> {
  const info = await lstat(dir).catch(() => undefined);
  if (!info) return [];
  if (!info.isDirectory()) return [relative(runDir, dir)];
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await filesUnder(runDir, path)));
    else found.push(relative(runDir, path));
  }
  return found;
}

export function describeProblems(problems: FileProblem[], limit = 3): string {
  const shown = problems.slice(0, limit).map((p) => `${p.path}: ${problemText(p)}`);
  return `${shown.join('; ')}${problems.length > limit ? `; and ${problems.length - limit} more` : ''}`;
}

function problemText(problem: FileProblem): string {
  switch (problem.problem) {
    case 'sha256':
      return `sha256 mismatch (${problem.detail})`;
    case 'size':
      return `size mismatch (${problem.detail})`;
    default:
      return problem.detail;
  }
}
