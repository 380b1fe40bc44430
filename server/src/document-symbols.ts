import { isMap, isScalar, isSeq } from 'yaml';
import type { Node, Pair } from 'yaml';
import { SymbolKind } from 'vscode-languageserver';
import type { DocumentSymbol } from 'vscode-languageserver';
import type { Range } from 'vscode-languageserver';
import type { DocumentAnalysis } from './analysis';
import { contentEnd } from './text-ranges';

/** Offsets → a range that ends with the last character, not after trailing blank lines. */
type Placer = (start: number, end: number) => Range;
import { readCron } from './cron-words';
import { describeRetention } from './retention-words';

/** Sources are shown by what they are: databases apart from plain files. */
const SOURCE_KINDS: Record<string, SymbolKind> = {
  sqlite: SymbolKind.Struct,
  mysql: SymbolKind.Struct,
  postgres: SymbolKind.Struct,
  files: SymbolKind.File,
};

/**
 * The outline: every top-level key; each source with its type, each target with its repository,
 * retention in words, schedule in words.
 */
export function documentSymbols(analysis: DocumentAnalysis): DocumentSymbol[] {
  const { structure: parsed } = analysis;
  const root = parsed.doc?.contents;
  if (!isMap(root)) return [];
  const symbols: DocumentSymbol[] = [];
  const place: Placer = (start, end) =>
    parsed.positions.rangeOf(start, contentEnd(analysis.text, start, end));
  for (const pair of root.items) {
    const symbol = sectionSymbol(pair, place);
    if (symbol) symbols.push(symbol);
  }
  return symbols;
}

function sectionSymbol(pair: Pair, place: Placer): DocumentSymbol | undefined {
  if (!isScalar(pair.key)) return undefined;
  const name = String(pair.key.value);
  const value = pair.value;
  const symbol = symbolOf(name, pair, place, SymbolKind.Module);
  if (!symbol) return undefined;
  const plain = isScalar(value) ? value.value : undefined;
  switch (name) {
    case 'sources':
    case 'targets':
      symbol.kind = SymbolKind.Namespace;
      symbol.children = entrySymbols(name, value, place);
      symbol.detail = countOf(symbol.children.length, name === 'sources' ? 'source' : 'target');
      break;
    case 'retention':
      symbol.kind = SymbolKind.Event;
      symbol.detail = describeRetention(isMap(value) ? value.toJSON() : undefined).short;
      break;
    case 'schedule':
      symbol.kind = SymbolKind.Event;
      if (typeof plain === 'string') {
        const reading = readCron(plain, new Date(), 0);
        symbol.detail = reading.ok ? reading.words : 'invalid schedule';
      }
      break;
    case 'hooks':
      symbol.kind = SymbolKind.Function;
      symbol.children = childSymbols(value, place, SymbolKind.Function);
      break;
    default:
      if (plain !== undefined && plain !== null) {
        symbol.kind = SymbolKind.Property;
        symbol.detail = oneLine(plain);
      } else if (isMap(value)) {
        symbol.children = childSymbols(value, place, SymbolKind.Property);
      }
  }
  return symbol;
}

function entrySymbols(section: string, value: unknown, place: Placer): DocumentSymbol[] {
  if (!isMap(value)) return [];
  const out: DocumentSymbol[] = [];
  for (const pair of value.items) {
    if (!isScalar(pair.key)) continue;
    const fields = isMap(pair.value) ? pair.value : undefined;
    const field = (key: string) => {
      const node = fields?.get(key, true);
      return isScalar(node) ? String(node.value) : undefined;
    };
    const type = section === 'sources' ? field('type') : undefined;
    const kind =
      section === 'sources' ? (SOURCE_KINDS[type ?? ''] ?? SymbolKind.Object) : SymbolKind.Package;
    const symbol = symbolOf(String(pair.key.value), pair, place, kind);
    if (!symbol) continue;
    const detail =
      section === 'sources'
        ? [type, field('path') ?? field('database')].filter(Boolean).join(' · ')
        : field('repository');
    if (detail) symbol.detail = oneLine(detail);
    out.push(symbol);
  }
  return out;
}

function childSymbols(value: unknown, place: Placer, kind: SymbolKind): DocumentSymbol[] {
  if (!isMap(value)) return [];
  const out: DocumentSymbol[] = [];
  for (const pair of value.items) {
    if (!isScalar(pair.key)) continue;
    const symbol = symbolOf(String(pair.key.value), pair, place, kind);
    if (!symbol) continue;
    if (isSeq(pair.value)) symbol.detail = countOf(pair.value.items.length, 'command');
    else if (isScalar(pair.value) && pair.value.value !== null)
      symbol.detail = oneLine(pair.value.value);
    out.push(symbol);
  }
  return out;
}

/** The symbol spans the key and its value; selecting it selects the key. */
function symbolOf(
  name: string,
  pair: Pair,
  place: Placer,
  kind: SymbolKind,
): DocumentSymbol | undefined {
  const key = pair.key as Node | null;
  const keyRange = key?.range;
  if (!keyRange || name === '') return undefined;
  const value = pair.value as Node | null;
  const end = value?.range ? Math.max(keyRange[1], value.range[1]) : keyRange[1];
  return {
    name,
    kind,
    range: place(keyRange[0], end),
    selectionRange: place(keyRange[0], keyRange[1]),
  };
}

/** Details are one line: a folded scalar's line breaks would break the outline's row. */
function oneLine(value: unknown): string {
  const text = String(value).replace(/\s+/g, ' ').trim();
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
