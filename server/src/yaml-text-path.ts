import type { SpecPath } from 'backup-runner/spec';
import type { LineInfo, YamlLines } from './yaml-lines';

/**
 * Spec paths from indentation alone, for text that may not parse. A node belongs to the nearest
 * line above it that is less indented; a `- ` item may also sit at the column of its key.
 */

/** Deeper than any backup.yaml; bounds the recursion on pathological input. */
const MAX_DEPTH = 64;

/** The path of the mapping that a key starting at `column` on `line` belongs to. */
export function mapPathAt(lines: YamlLines, line: number, column: number): SpecPath | undefined {
  return enclosing(lines, line, column, false, 0);
}

/** The path of the sequence item whose `- ` is at `column` on `line`. */
export function itemPathAt(lines: YamlLines, line: number, column: number): SpecPath | undefined {
  return enclosing(lines, line, column, true, 0);
}

/** The path of the mapping that holds the key written on `line`. */
export function keyHolderPath(lines: YamlLines, line: number): SpecPath | undefined {
  return keyHolder(lines, line, 0);
}

/**
 * Undefined means the node cannot be in a collection: it continues a scalar (a deeper line under
 * `key: value`, or inside a block scalar `key: |`).
 */
function enclosing(
  lines: YamlLines,
  line: number,
  column: number,
  item: boolean,
  depth: number,
): SpecPath | undefined {
  if (depth > MAX_DEPTH) return undefined;
  let index = 0;
  for (let j = line - 1; j >= 0; j--) {
    const indent = lines.indent(j);
    if (indent < 0 || indent > column) continue;
    const info = lines.line(j);
    const key = info.key;
    if (info.indent === column) {
      if (item && info.dashes[0] === column) index++;
      else if (item && key?.start === column && opensBlock(info))
        return append(enclosing(lines, j, column, false, depth + 1), key.text, index);
      continue;
    }
    if (key && key.start <= column) {
      if (key.start === column && !item) return keyHolder(lines, j, depth + 1);
      if (!opensBlock(info)) return undefined;
      const holder = keyHolder(lines, j, depth + 1);
      return item ? append(holder, key.text, index) : append(holder, key.text);
    }
    for (let k = info.dashes.length - 1; k >= 0; k--) {
      const dash = info.dashes[k] as number;
      if (item && dash === column) {
        index++;
      } else if (dash < column) {
        if (k === info.dashes.length - 1 && !info.key && info.value) return undefined;
        const holder = dashItemPath(lines, j, k, depth + 1);
        return item ? append(holder, index) : holder;
      }
    }
    return undefined;
  }
  return item ? [index] : [];
}

function keyHolder(lines: YamlLines, line: number, depth: number): SpecPath | undefined {
  const info = lines.line(line);
  if (info.dashes.length > 0) return dashItemPath(lines, line, info.dashes.length - 1, depth);
  return enclosing(lines, line, info.key?.start ?? info.contentStart, false, depth);
}

/** The path of the item that the k-th `- ` on a line opens (`- - a`: the inner one is item 0). */
function dashItemPath(
  lines: YamlLines,
  line: number,
  k: number,
  depth: number,
): SpecPath | undefined {
  const info = lines.line(line);
  if (k === 0) return enclosing(lines, line, info.dashes[0] ?? 0, true, depth);
  return append(dashItemPath(lines, line, k - 1, depth + 1), 0);
}

/** A key line whose children follow on the next lines: no value, or only an anchor or tag. */
function opensBlock(info: LineInfo): boolean {
  const value = info.value?.text;
  return value === undefined || /^([&!][^\s]*)$/.test(value);
}

function append(
  path: SpecPath | undefined,
  ...segments: (string | number)[]
): SpecPath | undefined {
  return path ? [...path, ...segments] : undefined;
}

export interface BlockEntry {
  key: string;
  line: number;
  /** The value written on the key's line, when there is one. */
  value?: string;
}

/**
 * The entries of the block mapping whose keys start at `column`, around `line`: the keys a
 * completion must not offer again, and the `type` that says which kind of source it is.
 */
export function blockMapEntries(lines: YamlLines, line: number, column: number): BlockEntry[] {
  const entries: BlockEntry[] = [];
  const visit = (j: number): 'keep' | 'stop' | 'last' => {
    const indent = lines.indent(j);
    if (indent < 0 || indent > column) return 'keep';
    const info = lines.line(j);
    if (info.key?.start === column) {
      entries.push(entryOf(info, j));
      return info.dashes.length > 0 ? 'last' : 'keep';
    }
    return info.indent < column ? 'stop' : 'keep';
  };
  for (let j = line - 1; j >= 0; j--) {
    const verdict = visit(j);
    if (verdict !== 'keep') break;
  }
  for (let j = line + 1; j < lines.count; j++) {
    const indent = lines.indent(j);
    if (indent >= 0 && indent <= column) {
      const info = lines.line(j);
      if (info.key?.start === column && info.dashes.length > 0) break;
    }
    if (visit(j) === 'stop') break;
  }
  return entries.sort((a, b) => a.line - b.line);
}

function entryOf(info: LineInfo, line: number): BlockEntry {
  const entry: BlockEntry = { key: info.key?.text ?? '', line };
  if (info.value) entry.value = unquote(info.value.text);
  return entry;
}

/** The scalar items of the block sequence whose `- ` are at `column`, around `line`. */
export function blockSeqItems(lines: YamlLines, line: number, column: number): string[] {
  const items: string[] = [];
  const visit = (j: number): boolean => {
    const indent = lines.indent(j);
    if (indent < 0 || indent > column) return true;
    const info = lines.line(j);
    if (info.dashes[0] === column) {
      if (info.dashes.length === 1 && !info.key && info.value) items.push(unquote(info.value.text));
      return true;
    }
    return info.indent > column;
  };
  for (let j = line - 1; j >= 0 && visit(j); j--);
  for (let j = line + 1; j < lines.count && visit(j); j++);
  return items;
}

/** The keys of the top-level mapping `key` (e.g. the names under `sources:`), in order. */
export function topLevelEntries(lines: YamlLines, key: string): BlockEntry[] {
  for (let j = 0; j < lines.count; j++) {
    const info = lines.line(j);
    if (info.indent !== 0 || info.dashes.length > 0 || info.key?.text !== key) continue;
    if (!opensBlock(info)) return [];
    for (let k = j + 1; k < lines.count; k++) {
      const child = lines.line(k);
      if (child.blank) continue;
      if (child.indent === 0 || !child.key || child.dashes.length > 0) return [];
      return [entryOf(child, k), ...blockMapEntries(lines, k, child.key.start)];
    }
    return [];
  }
  return [];
}

export function unquote(text: string): string {
  const quoted = /^(["'])(.*)\1$/.exec(text);
  return quoted ? (quoted[2] ?? '') : text;
}
