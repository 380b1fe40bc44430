import type { SpecPath } from './diagnostic';
import { sourceTypeDefinitions } from './schema';

/** A readable name for the mapping at `path`: `sqlite source "db"`, `target "nas"`, `retention`. */
export function describeContainer(path: SpecPath, root: unknown): string {
  if (path.length === 0) return 'the top level';
  const [first, second] = path;
  if (path.length === 2 && (first === 'sources' || first === 'targets')) {
    const kind = first === 'sources' ? 'source' : 'target';
    const type = first === 'sources' ? valueAt(root, path)?.['type'] : undefined;
    const prefix =
      typeof type === 'string' && sourceTypeDefinitions().some((d) => d.type === type)
        ? `${type} `
        : '';
    return `${prefix}${kind} "${String(second)}"`;
  }
  return dottedPath(path);
}

/** `sources.db.path`, `hooks.before[0]`, `targets."my nas".repository`. */
export function dottedPath(path: SpecPath): string {
  if (path.length === 0) return 'the top level';
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else
      out +=
        (out ? '.' : '') + (/^[A-Za-z0-9_-]+$/.test(segment) ? segment : JSON.stringify(segment));
  }
  return out;
}

const EXPECTED_TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'empty',
};

export function expectedTypeName(type: string): string {
  return EXPECTED_TYPE_NAMES[type] ?? type;
}

export function actualTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a whole number' : 'a number';
  if (typeof value === 'boolean') return `${value}`;
  return 'a string';
}

export function valueAt(root: unknown, path: SpecPath): Record<string, unknown> | undefined {
  let current: unknown = root;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return typeof current === 'object' && current !== null
    ? (current as Record<string, unknown>)
    : undefined;
}

export function rawValueAt(root: unknown, path: SpecPath): unknown {
  let current: unknown = root;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/** `1 file`, `3 errors`: a count with its noun (English plurals in -s only). */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
