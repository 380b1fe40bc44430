import type { SpecPath } from 'backup-runner/spec';
import { flowCursorAt } from './flow-context';
import type { LineInfo, YamlLines } from './yaml-lines';
import {
  blockMapEntries,
  blockSeqItems,
  itemPathAt,
  keyHolderPath,
  mapPathAt,
  unquote,
} from './yaml-text-path';

/**
 * What could be typed at the cursor, read from the text around it so that it works while the
 * YAML is incomplete: a key of some mapping, a scalar value of some path, or both (a bare word
 * on its own line may be a key being typed or a value continued from the line above).
 */
export interface CursorContext {
  line: number;
  /** The mapping a key typed here would belong to. */
  mapPath?: SpecPath;
  /** The path of a scalar value typed here. */
  valuePath?: SpecPath;
  /** The columns a completion replaces, and what was typed of it before the cursor. */
  start: number;
  end: number;
  typed: string;
  /** The value is being typed inside quotes: a completion inserts the bare text. */
  quote?: '"' | "'";
  /** Inside a flow collection (`[...]`, `{...}`): whatever is inserted stays on the line. */
  flow: boolean;
  /** The cursor is right after a `:` or `-`: an inserted value needs a space before it. */
  needsSpace: boolean;
  /** The key already has its `:`; a key completion then inserts only the name. */
  keyHasColon: boolean;
  /** The column of a key typed here, where the lines a completion inserts are indented from. */
  keyColumn: number;
  /** The keys already in the `mapPath` mapping. */
  presentKeys: string[];
  /** The other items of the sequence when `valuePath` is an item. */
  siblingValues: string[];
  /** Reads a value of the `mapPath` mapping from the text (a source's `type`). */
  entryValue: (key: string) => string | undefined;
}

const NO_ENTRIES = () => undefined;

export function cursorContext(
  lines: YamlLines,
  line: number,
  character: number,
): CursorContext | undefined {
  if (line < 0 || line >= lines.count) return undefined;
  const info = lines.line(line);
  const cursor = Math.max(0, Math.min(character, info.text.length));
  if (info.commentStart !== undefined && cursor > info.commentStart) return undefined;
  if (cursor < info.contentStart && !(info.blank && info.dashes.length === 0)) return undefined;
  const lastDash = info.dashes.at(-1);

  if (info.key && info.colon !== undefined) {
    const holder = keyHolderPath(lines, line);
    if (!holder) return undefined;
    if (cursor <= info.colon) {
      if (cursor < info.key.start || /^["']/.test(info.text.slice(info.key.start)))
        return undefined;
      return {
        ...base(line, info.key.start, info.key.end, info.text.slice(info.key.start, cursor)),
        mapPath: holder,
        keyHasColon: true,
        keyColumn: info.key.start,
        ...mapSiblings(lines, line, info.key.start),
      };
    }
    return valueContext(lines, line, info, cursor, [...holder, info.key.text], info.colon + 1);
  }

  if (lastDash !== undefined && cursor > lastDash) {
    const item = itemPathAt(lines, line, lastDash);
    if (!item) return undefined;
    const context = valueContext(lines, line, info, cursor, item, lastDash + 1);
    if (!context || context.valuePath !== item) return context;
    return {
      ...context,
      mapPath: item,
      keyColumn: info.contentStart,
      siblingValues: blockSeqItems(lines, line, lastDash),
    };
  }

  const column = info.blank ? cursor : info.contentStart;
  const path = mapPathAt(lines, line, column);
  if (!path) return undefined;
  const word = info.value;
  if (word && (word.text.startsWith('[') || word.text.startsWith('{')))
    return valueContext(lines, line, info, cursor, path, word.start);
  const end = word ? Math.max(word.end, cursor) : cursor;
  const quote = quoteOf(word?.text);
  const start = quote ? column + 1 : column;
  const context: CursorContext = {
    ...base(line, start, quote ? closingQuote(info.text, start, end) : end),
    typed: info.text.slice(start, cursor),
    mapPath: path,
    valuePath: path,
    keyColumn: column,
    ...mapSiblings(lines, line, column),
  };
  if (quote) context.quote = quote;
  return context;
}

/** The cursor after a key's colon or an item's dash: a scalar, or inside a flow collection. */
function valueContext(
  lines: YamlLines,
  line: number,
  info: LineInfo,
  cursor: number,
  path: SpecPath,
  from: number,
): CursorContext | undefined {
  const value = info.value && info.value.start >= from ? info.value : undefined;
  const first = value?.text[0];
  if (value && (first === '[' || first === '{')) {
    if (cursor <= value.start) return undefined;
    const flow = flowCursorAt(info.text, value.start, cursor);
    if (!flow) return undefined;
    const inner = [...path, ...flow.suffix];
    const context: CursorContext = {
      ...base(line, flow.start, flow.end, flow.typed),
      keyColumn: flow.start,
      flow: true,
    };
    if (flow.quote) context.quote = flow.quote;
    if (flow.kind === 'key') {
      context.mapPath = inner;
      context.presentKeys = flow.siblings;
      context.entryValue = (key) => flow.values[key];
    } else {
      context.valuePath = inner;
      context.siblingValues = flow.siblings;
    }
    return context;
  }
  if (value && /^[|>&*!]/.test(value.text)) return undefined;
  if (value && cursor < value.start) return undefined;
  const quote = quoteOf(value?.text);
  const start = value ? value.start + (quote ? 1 : 0) : cursor;
  const end = value ? (quote ? closingQuote(info.text, start, value.end) : value.end) : cursor;
  const context: CursorContext = {
    ...base(line, start, Math.max(end, Math.min(cursor, info.text.length))),
    typed: info.text.slice(start, cursor),
    valuePath: path,
    keyColumn: info.contentStart,
    needsSpace: !value && /[:-]/.test(info.text[start - 1] ?? ''),
  };
  if (quote) context.quote = quote;
  return context;
}

function base(line: number, start: number, end: number, typed = ''): CursorContext {
  return {
    line,
    start,
    end,
    typed,
    keyHasColon: false,
    flow: false,
    needsSpace: false,
    keyColumn: start,
    presentKeys: [],
    siblingValues: [],
    entryValue: NO_ENTRIES,
  };
}

function mapSiblings(
  lines: YamlLines,
  line: number,
  column: number,
): Pick<CursorContext, 'presentKeys' | 'entryValue'> {
  const entries = blockMapEntries(lines, line, column);
  return {
    presentKeys: entries.map((entry) => entry.key),
    entryValue: (key) => {
      const value = entries.find((entry) => entry.key === key)?.value;
      return value === undefined ? undefined : unquote(value);
    },
  };
}

function quoteOf(text: string | undefined): '"' | "'" | undefined {
  const first = text?.[0];
  return first === '"' || first === "'" ? first : undefined;
}

function closingQuote(text: string, start: number, end: number): number {
  const quote = text[start - 1];
  const close = quote ? text.indexOf(quote, start) : -1;
  return close >= 0 && close <= end ? close : end;
}
