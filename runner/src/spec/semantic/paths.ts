import { posix } from 'node:path';
import type { SpecPath } from '../diagnostic';
import type { DiagnosticReporter } from '../reporter';
import { asRecord, asString, namedEntries } from './read';

interface PlacedPath {
  path: string;
  at: SpecPath;
  label: string;
}

/**
 * Staging, archive and local repository directories must not be inside what is backed up (each
 * run would contain the previous ones) and no source may be inside them (pruning would delete it).
 */
export function checkPathOverlap(
  root: Record<string, unknown>,
  reporter: DiagnosticReporter,
): void {
  const sources = sourcePaths(root);
  for (const place of outputDirectories(root)) {
    for (const source of sources) {
      if (isInside(place.path, source.path)) {
        reporter.atValue(
          place.at,
          'path-overlap',
          `${place.label} ${place.path} is inside ${source.label}: every run would back up earlier runs; move it elsewhere`,
        );
      } else if (isInside(source.path, place.path)) {
        reporter.atValue(
          source.at,
          'path-overlap',
          `${source.label} is inside ${place.label} ${place.path}, which the runner prunes; move one of them`,
        );
      }
    }
  }
}

function outputDirectories(root: Record<string, unknown>): PlacedPath[] {
  const out: PlacedPath[] = [];
  const staging = asString(asRecord(root['staging'])?.['dir']);
  if (staging?.startsWith('/'))
    out.push({ path: clean(staging), at: ['staging', 'dir'], label: 'staging.dir' });
  const archive = asString(asRecord(root['archive'])?.['dir']);
  if (archive?.startsWith('/'))
    out.push({ path: clean(archive), at: ['archive', 'dir'], label: 'archive.dir' });
  for (const [name, target] of namedEntries(root, 'targets')) {
    const repository = asString(target['repository'])?.replace(/^local:/, '');
    if (repository?.startsWith('/')) {
      out.push({
        path: clean(repository),
        at: ['targets', name, 'repository'],
        label: `the repository of target "${name}"`,
      });
    }
  }
  return out;
}

function sourcePaths(root: Record<string, unknown>): PlacedPath[] {
  const out: PlacedPath[] = [];
  for (const [name, source] of namedEntries(root, 'sources')) {
    const sqlitePath = source['type'] === 'sqlite' ? asString(source['path']) : undefined;
    if (sqlitePath?.startsWith('/')) {
      out.push({
        path: clean(sqlitePath),
        at: ['sources', name, 'path'],
        label: `source "${name}" (${clean(sqlitePath)})`,
      });
    }
    if (source['type'] === 'files' && Array.isArray(source['paths'])) {
      source['paths'].forEach((item: unknown, index: number) => {
        if (typeof item !== 'string' || !item.startsWith('/')) return;
        const at = ['sources', name, 'paths', index];
        const prefix = clean(staticPrefix(item));
        const label =
          prefix === clean(item)
            ? `source "${name}" (${prefix})`
            : `${prefix} (where source "${name}" matches ${item})`;
        out.push({ path: prefix, at, label });
      });
    }
  }
  return out;
}

/** The directory part of a glob before its first wildcard: what it can possibly match under. */
function staticPrefix(pattern: string): string {
  const wildcard = pattern.search(/[*?[{]/);
  if (wildcard < 0) return pattern;
  const slash = pattern.lastIndexOf('/', wildcard);
  return slash <= 0 ? '/' : pattern.slice(0, slash);
}

function clean(path: string): string {
  const normalized = posix.normalize(path);
  return normalized.length > 1 ? normalized.replace(/\/+$/, '') : normalized;
}

function isInside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent === '/' ? '/' : `${parent}/`);
}
