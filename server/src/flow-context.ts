/**
 * Where the cursor is inside a one-line flow collection (`sources: [db, |]`, `{ env: | }`),
 * read from the text because it is often unterminated while it is typed.
 */

export interface FlowCursor {
  /** The path inside the collection: item indexes and keys. */
  suffix: (string | number)[];
  /** A key of a flow mapping, or a value (a sequence item or a mapping value). */
  kind: 'key' | 'value';
  /** Columns of the entry at the cursor and what was typed of it before the cursor. */
  start: number;
  end: number;
  typed: string;
  quote?: '"' | "'";
  /** The other entries of the innermost collection: its items, or its keys. */
  siblings: string[];
  /** The scalar values of the innermost mapping, by key (a source's `type`). */
  values: Record<string, string>;
}

interface SeqFrame {
  kind: 'seq';
  index: number;
  entries: string[];
}

interface MapFrame {
  kind: 'map';
  key: string | undefined;
  afterColon: boolean;
  keys: string[];
  values: Record<string, string>;
}

type Frame = SeqFrame | MapFrame;

interface Snapshot {
  frames: { frame: Frame; index: number; key: string | undefined; afterColon: boolean }[];
  start: number;
  quote?: '"' | "'";
}

/**
 * Scans `text` from the `[` or `{` at `start`; undefined when the cursor is outside the
 * collection (before it, or after it closed).
 */
export function flowCursorAt(text: string, start: number, cursor: number): FlowCursor | undefined {
  const stack: Frame[] = [];
  let entryStart = start;
  let entryText = '';
  let snapshot: Snapshot | undefined;
  const take = (at: number, quote?: '"' | "'") => {
    snapshot = {
      frames: stack.map((frame) => ({
        frame,
        index: frame.kind === 'seq' ? frame.index : 0,
        key: frame.kind === 'map' ? frame.key : undefined,
        afterColon: frame.kind === 'map' && frame.afterColon,
      })),
      start: quote ? at : firstNonSpace(text, entryStart, at),
    };
    if (quote) snapshot.quote = quote;
  };
  const finishEntry = (at: number) => {
    const top = stack.at(-1);
    const entry = entryText || text.slice(entryStart, at).trim();
    if (top?.kind === 'seq' && entry) top.entries.push(entry);
    if (top?.kind === 'map' && top.afterColon && top.key !== undefined) top.values[top.key] = entry;
    entryText = '';
  };
  for (let i = start; i <= text.length; i++) {
    if (i === cursor && stack.length > 0 && !snapshot) take(i);
    const c = text[i];
    if (c === undefined) break;
    if ((c === '"' || c === "'") && text.slice(entryStart, i).trim() === '' && stack.length > 0) {
      const close = text.indexOf(c, i + 1);
      const end = close < 0 ? text.length : close;
      if (!snapshot && cursor > i && cursor <= end) take(i + 1, c);
      entryText = text.slice(i + 1, end);
      i = end;
      continue;
    }
    if (c === '#' && (text[i - 1] === ' ' || i === start)) break;
    if (stack.length === 0 && i > start) break;
    if (c === '[' || c === '{') {
      stack.push(
        c === '['
          ? { kind: 'seq', index: 0, entries: [] }
          : { kind: 'map', key: undefined, afterColon: false, keys: [], values: {} },
      );
      entryStart = i + 1;
      entryText = '';
    } else if (c === ',' || c === ']' || c === '}') {
      finishEntry(i);
      const top = stack.at(-1);
      if (c === ',') {
        if (top?.kind === 'seq') top.index++;
        if (top?.kind === 'map') {
          top.key = undefined;
          top.afterColon = false;
        }
      } else {
        stack.pop();
      }
      entryStart = i + 1;
    } else if (c === ':' && isFlowKeyColon(text, i)) {
      const top = stack.at(-1);
      if (top?.kind === 'map' && !top.afterColon) {
        top.key = (entryText || text.slice(entryStart, i)).trim();
        top.keys.push(top.key);
        top.afterColon = true;
        entryStart = i + 1;
        entryText = '';
      }
    }
  }
  return snapshot ? toCursor(text, cursor, snapshot) : undefined;
}

function toCursor(text: string, cursor: number, snapshot: Snapshot): FlowCursor | undefined {
  const innermost = snapshot.frames.at(-1);
  if (!innermost) return undefined;
  const suffix: (string | number)[] = [];
  for (const { frame, index, key, afterColon } of snapshot.frames) {
    if (frame.kind === 'seq') suffix.push(index);
    else if (afterColon && key !== undefined) suffix.push(key);
  }
  const frame = innermost.frame;
  const kind = frame.kind === 'map' && !innermost.afterColon ? 'key' : 'value';
  const end = entryEnd(text, cursor, kind, snapshot.quote);
  const start = Math.min(snapshot.start, cursor);
  const siblings =
    frame.kind === 'seq'
      ? frame.entries.filter((_, i) => i !== innermost.index)
      : frame.keys.filter((key) => key !== innermost.key);
  const result: FlowCursor = {
    suffix,
    kind,
    start,
    end,
    typed: text.slice(start, cursor),
    siblings,
    values: frame.kind === 'map' ? frame.values : {},
  };
  if (snapshot.quote) result.quote = snapshot.quote;
  return result;
}

/** Where the entry at the cursor ends: the next delimiter, or the closing quote. */
function entryEnd(text: string, cursor: number, kind: 'key' | 'value', quote?: string): number {
  if (quote) {
    const close = text.indexOf(quote, cursor);
    return close < 0 ? text.length : close;
  }
  const delimiters = kind === 'key' ? ',]}:#' : ',]}#';
  let end = cursor;
  while (end < text.length && !delimiters.includes(text[end] as string)) end++;
  while (end > cursor && text[end - 1] === ' ') end--;
  return end;
}

/** In a flow mapping, `a:b` is one scalar; a key's colon is followed by a space or delimiter. */
function isFlowKeyColon(text: string, i: number): boolean {
  const next = text[i + 1];
  return next === undefined || next === ' ' || next === ',' || next === '}' || next === ']';
}

function firstNonSpace(text: string, from: number, limit: number): number {
  let i = from;
  while (i < limit && text[i] === ' ') i++;
  return i;
}
