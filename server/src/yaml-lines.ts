/**
 * A line-by-line reading of block YAML that needs no parse: where each line's `- ` indicators,
 * key and value are. Completion works from it because the text being typed is usually not valid
 * YAML yet, and because it costs microseconds where a parse of a big spec costs milliseconds.
 */

/** A span of one line, in UTF-16 columns; `text` is the span's content (a key without quotes). */
export interface LineSpan {
  start: number;
  end: number;
  text: string;
}

export interface LineInfo {
  /** The line without its line break. */
  text: string;
  /** The column of the first character that is not a space. */
  indent: number;
  /** Nothing but spaces and perhaps a comment. */
  blank: boolean;
  /** Columns of the leading `- ` sequence indicators (`- - a` has two). */
  dashes: number[];
  /** The column where the line's content starts, after indentation and dashes. */
  contentStart: number;
  /** A `key:` at contentStart (quoted or plain), followed by a space or the end of the line. */
  key?: LineSpan;
  /** The column of the `:` after the key. */
  colon?: number;
  /** The value after the key's colon, or the content of a line without a key; trimmed. */
  value?: LineSpan;
  /** The column of a `#` comment, when the line has one. */
  commentStart?: number;
}

export class YamlLines {
  readonly texts: string[];
  private readonly scanned: (LineInfo | undefined)[];

  constructor(text: string) {
    this.texts = text.split(/\r\n|\r|\n/);
    this.scanned = new Array<LineInfo | undefined>(this.texts.length);
  }

  get count(): number {
    return this.texts.length;
  }

  /**
   * The indentation of a line, or -1 when it is blank or only a comment: enough to skip the
   * lines deeper than what a walk looks for without scanning them.
   */
  indent(index: number): number {
    const text = this.texts[index] ?? '';
    let i = 0;
    while (text.charCodeAt(i) === 32) i++;
    return i === text.length || text.charCodeAt(i) === 35 /* # */ ? -1 : i;
  }

  /** The line's reading, scanned on first use: a request looks at a few lines, not all. */
  line(index: number): LineInfo {
    const cached = this.scanned[index];
    if (cached) return cached;
    const info = scanLine(this.texts[index] ?? '');
    this.scanned[index] = info;
    return info;
  }
}

function scanLine(text: string): LineInfo {
  let position = 0;
  while (text[position] === ' ') position++;
  const indent = position;
  const dashes: number[] = [];
  while (text[position] === '-' && (position + 1 === text.length || text[position + 1] === ' ')) {
    dashes.push(position);
    position++;
    while (text[position] === ' ') position++;
  }
  const contentStart = position;
  const commentStart = findComment(text, contentStart);
  const contentEnd = trimEnd(text, commentStart ?? text.length, contentStart);
  const info: LineInfo = {
    text,
    indent,
    blank: dashes.length === 0 && contentEnd === contentStart,
    dashes,
    contentStart,
  };
  if (commentStart !== undefined) info.commentStart = commentStart;
  const colon = findKeyColon(text, contentStart, contentEnd);
  if (colon === undefined) {
    if (contentEnd > contentStart) info.value = span(text, contentStart, contentEnd);
    return info;
  }
  const keyEnd = trimEnd(text, colon, contentStart);
  info.key = keySpan(text, contentStart, keyEnd);
  info.colon = colon;
  let valueStart = colon + 1;
  while (text[valueStart] === ' ') valueStart++;
  if (contentEnd > valueStart) info.value = span(text, valueStart, contentEnd);
  return info;
}

/** A `#` starts a comment at the start of the content or after a space, outside quotes. */
function findComment(text: string, from: number): number | undefined {
  let quote: string | undefined;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '#' && (i === from || text[i - 1] === ' ' || text[i - 1] === '\t')) {
      return i;
    } else if ((c === '"' || c === "'") && startsToken(text, i, from)) {
      quote = c;
    }
  }
  return undefined;
}

/**
 * The colon of a block mapping key: the first `:` followed by a space (or the end) outside
 * quotes, when the content does not start a flow collection or a block scalar.
 */
function findKeyColon(text: string, start: number, end: number): number | undefined {
  const first = text[start];
  if (first === undefined || '[{|>'.includes(first)) return undefined;
  let i = start;
  if (first === '"' || first === "'") {
    i = closingQuote(text, start, end);
    if (i < 0) return undefined;
    i++;
    while (i < end && text[i] === ' ') i++;
    return text[i] === ':' && (i + 1 >= end || text[i + 1] === ' ') ? i : undefined;
  }
  for (; i < end; i++) {
    if (text[i] === ':' && (i + 1 >= end || text[i + 1] === ' ' || text[i + 1] === '\t')) return i;
  }
  return undefined;
}

function closingQuote(text: string, start: number, end: number): number {
  const quote = text[start];
  for (let i = start + 1; i < end; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}

function keySpan(text: string, start: number, end: number): LineSpan {
  const raw = text.slice(start, end);
  const quoted = /^(["'])(.*)\1$/.exec(raw);
  return { start, end, text: quoted ? (quoted[2] ?? '') : raw };
}

function span(text: string, start: number, end: number): LineSpan {
  return { start, end, text: text.slice(start, end) };
}

function startsToken(text: string, i: number, from: number): boolean {
  const before = text[i - 1];
  return i === from || before === ' ' || before === '[' || before === '{' || before === ',';
}

function trimEnd(text: string, end: number, floor: number): number {
  let i = end;
  while (i > floor && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  return i;
}
