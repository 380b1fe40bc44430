/**
 * Where a spec splits into entries that yaml can read one at a time: the top-level keys, and the
 * keys of a top-level mapping written as a block (each source, each target). Found from the lines
 * alone, in microseconds; whether yaml agrees with the split is checked when each piece is parsed
 * (window.ts), and any doubt means the whole text is parsed at once instead.
 */

/** One top-level `key:` line and what follows it up to the next one. */
export interface TopEntry {
  /** Where the entry's text starts: its key line, or 0 for the first entry (leading comments). */
  start: number;
  /** Where its key line starts. */
  keyAt: number;
  /** Just past its key line's line break. */
  keyLineEnd: number;
  /** Where the next entry starts, or the end of the text. */
  end: number;
  /** The entries of its block mapping value; undefined when it is read whole. */
  children: ChildEntry[] | undefined;
}

/** One key of a top-level block mapping (`  db-0:`) and what follows it up to the next one. */
export interface ChildEntry {
  /** Where its text starts: its key line; for the first child, just past the parent's key line. */
  start: number;
  /** Where its key line starts. */
  keyAt: number;
  end: number;
  indent: number;
}

interface Line {
  start: number;
  /** Just past the line break (or the end of the text). */
  next: number;
  /** Spaces before the first other character. */
  indent: number;
  /** Only spaces, or spaces and a comment. */
  trivia: boolean;
  /** A plain `key:` or `key: value` starts at the indentation. */
  key: boolean;
  /** Nothing follows the key's colon but spaces (a block value on the next lines). */
  bare: boolean;
}

/** The spec's top-level entries, or undefined when its shape is not one this split is sure of. */
export function splitEntries(text: string): TopEntry[] | undefined {
  const lines = scanLines(text);
  const tops: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trivia || line.indent > 0) continue;
    // Anything else at column 0 (a list of the entry's, a document marker, a key being typed)
    // stays in the entry before it, whose window then says whether yaml reads it that way.
    if (line.key) tops.push(i);
    else if (tops.length === 0) return undefined;
  }
  if (tops.length === 0) return undefined;
  return tops.map((index, n) => {
    const line = lines[index]!;
    const nextIndex = tops[n + 1] ?? lines.length;
    const end = lines[nextIndex]?.start ?? text.length;
    const entry: TopEntry = {
      start: n === 0 ? 0 : line.start,
      keyAt: line.start,
      keyLineEnd: line.next,
      end,
      children: line.bare ? childrenOf(lines, index + 1, nextIndex, line.next, end) : undefined,
    };
    return entry;
  });
}

/**
 * The entries of a block mapping on lines [from, to): every line that is not trivia is indented
 * at least as far as the first, and those at exactly that indentation are plain keys.
 */
function childrenOf(
  lines: Line[],
  from: number,
  to: number,
  firstStart: number,
  end: number,
): ChildEntry[] | undefined {
  let indent = -1;
  const keys: number[] = [];
  for (let i = from; i < to; i++) {
    const line = lines[i]!;
    if (line.trivia) continue;
    if (indent < 0) indent = line.indent;
    if (line.indent < indent) return undefined;
    if (line.indent > indent) continue;
    if (!line.key) return undefined;
    keys.push(i);
  }
  if (keys.length === 0) return undefined;
  return keys.map((index, k) => {
    const next = keys[k + 1];
    return {
      start: k === 0 ? firstStart : lines[index]!.start,
      keyAt: lines[index]!.start,
      end: next === undefined ? end : lines[next]!.start,
      indent,
    };
  });
}

function scanLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < text.length) {
    const breakAt = text.indexOf('\n', start);
    const next = breakAt < 0 ? text.length : breakAt + 1;
    lines.push(readLine(text, start, breakAt < 0 ? text.length : breakAt, next));
    start = next;
  }
  return lines;
}

function readLine(text: string, start: number, end: number, next: number): Line {
  let i = start;
  while (i < end && text.charCodeAt(i) === 32) i++;
  const indent = i - start;
  const first = text.charCodeAt(i);
  const trivia = i === end || first === 35 /* # */ || (first === 13 && i + 1 === end);
  const colon = trivia ? -1 : plainKeyColon(text, i, end);
  let after = colon + 1;
  while (after < end && text.charCodeAt(after) === 32) after++;
  const bare =
    colon >= 0 && (after === end || (text.charCodeAt(after) === 13 && after + 1 === end));
  return { start, next, indent, trivia, key: colon >= 0, bare };
}

/**
 * The colon of a plain key at `from`: the key starts with a letter, digit or underscore (no
 * indicator, no quote), and the first `: ` (or `:` at the end of the line) comes before any ` #`
 * or tab. -1 when the line does not start that way.
 */
function plainKeyColon(text: string, from: number, end: number): number {
  if (!isWordStart(text.charCodeAt(from))) return -1;
  for (let i = from + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 9 /* \t */) return -1;
    if (c === 35 /* # */ && text.charCodeAt(i - 1) === 32) return -1;
    if (c !== 58 /* : */) continue;
    const following = i + 1 === end ? 10 : text.charCodeAt(i + 1);
    if (following === 32 || following === 10 || (following === 13 && i + 2 === end)) return i;
  }
  return -1;
}

function isWordStart(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
