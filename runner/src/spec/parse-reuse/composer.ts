import type { Document, Pair, ParsedNode, YAMLMap } from 'yaml';
import type { ChildEntry, TopEntry } from './entries';
import { newMapLike, newPair, shiftNode, shiftPair, shiftRange } from './shift';
import type { PlacedNodes, WindowParts, WindowShape } from './window';
import { putEntry } from './window-data';

/** A window's parts and where they go: text offset = window offset + delta. */
interface Placed {
  parts: WindowParts;
  /** For the frame's nodes (the parent's key). */
  frameDelta: number;
  /** For the body's nodes. */
  bodyDelta: number;
}

type MapOfParsed = YAMLMap.Parsed;

/** A document and its data composed from windows; `exact` when all of them were. */
export interface Composed {
  doc: Document.Parsed;
  value: unknown;
  exact: boolean;
}
type PairOfParsed = Pair<ParsedNode, ParsedNode | null>;

/** Parses (or finds) the window of a shape; undefined when yaml did not read it as split. */
export type WindowLookup = (shape: WindowShape) => WindowParts | undefined;

/**
 * The document yaml would build from the whole text, built from its entries' windows instead.
 * What yaml attaches to the line after a window (comments and blank lines before a key) was
 * attached to the window's sentinel, and moves to the key that really follows.
 */
export class DocumentComposer {
  private readonly items: PairOfParsed[] = [];
  /** The document's data, put together from the windows' (what toJS of the document gives). */
  private readonly data: Record<string, unknown> = {};
  /** The sentinel key of the last window, whose comments belong to the next key. */
  private before: ParsedNode | undefined;
  private first: Placed | undefined;
  private last: Placed | undefined;
  private failed = false;
  /** Every window used was exact: the document is the whole parse's. */
  private exact = true;

  constructor(
    private readonly text: string,
    private readonly lookup: WindowLookup,
    /** Refuse windows that are not exact (for diagnostics), or take them (typing-time features). */
    private readonly exactOnly: boolean,
  ) {}

  /**
   * Every window is looked up even after one failed, so the caller's cache keeps all of this
   * version's windows for the next.
   */
  compose(entries: TopEntry[]): Composed | undefined {
    entries.forEach((entry, j) => {
      const sentinel = j + 1 < entries.length ? 0 : undefined;
      if (entry.children) this.addMapping(entry, entry.children, sentinel);
      else this.addEntry(entry, sentinel);
    });
    if (this.failed || !this.first || !this.last) return undefined;
    return { doc: this.document(this.first, this.last), value: this.data, exact: this.exact };
  }

  private addEntry(entry: TopEntry, sentinel: number | undefined): void {
    const body = this.text.slice(entry.start, entry.end);
    const shape = {
      frame: '',
      body,
      frameKeyAt: 0,
      bodyKeyAt: entry.keyAt - entry.start,
      sentinel,
    };
    const placed = this.place(shape, entry.start, entry.start);
    if (!placed) return;
    this.items.push(...this.placedNodes(placed, 'body').pairs);
    for (const [key, value] of placed.parts.data.entries) putEntry(this.data, key, value);
  }

  private addMapping(entry: TopEntry, children: ChildEntry[], sentinel: number | undefined): void {
    const pairs: PairOfParsed[] = [];
    const data: Record<string, unknown> = {};
    let key: ParsedNode | undefined;
    let first: Placed | undefined;
    let last: Placed | undefined;
    children.forEach((child, k) => {
      // The first child's window is the text from the parent's start, unbroken.
      const frameStart = k === 0 ? entry.start : entry.keyAt;
      const frame = this.text.slice(frameStart, entry.keyLineEnd);
      const shape = {
        frame,
        body: this.text.slice(child.start, child.end),
        frameKeyAt: entry.keyAt - frameStart,
        bodyKeyAt: frame.length + child.keyAt + child.indent - child.start,
        sentinel: k + 1 < children.length ? child.indent : sentinel,
      };
      const placed = this.place(shape, frameStart, child.start - frame.length);
      if (!placed) return;
      const nodes = this.placedNodes(placed, k === 0 ? 'frame' : 'body');
      if (k === 0) {
        first = placed;
        key = nodes.frameKey;
      }
      pairs.push(...nodes.pairs);
      for (const [name, value] of placed.parts.data.entries) putEntry(data, name, value);
      last = placed;
    });
    const dataKey = first?.parts.data.frameKey;
    if (!first || !last || !key || dataKey === undefined) return;
    putEntry(this.data, dataKey, data);
    const value = joinedMap(first, last, (p) => p.parts.holder, pairs);
    this.items.push(newPair(key, value));
  }

  private place(shape: WindowShape, frameDelta: number, bodyDelta: number): Placed | undefined {
    const parts = this.lookup(shape);
    if (!parts || (this.exactOnly && !parts.exact)) {
      this.failed = true;
      return undefined;
    }
    this.exact &&= parts.exact;
    const placed = { parts, frameDelta, bodyDelta };
    this.first ??= placed;
    this.last = placed;
    return placed;
  }

  /**
   * The window's nodes where they are in the text: the body's pairs, and the frame's key for the
   * first child of a mapping. `owner` is the key that takes the comments owed by the window
   * before. The copies are kept on the window, and used again by the next version while the
   * window sits at the same offset after the same comments (an edit further down).
   */
  private placedNodes(placed: Placed, owner: 'frame' | 'body'): PlacedNodes {
    const { parts, frameDelta, bodyDelta } = placed;
    const before = this.before;
    this.before = parts.sentinelKey;
    const memo = `${frameDelta}|${bodyDelta}|${owner}|${beforeSignature(before)}`;
    if (parts.placed?.memo === memo) return parts.placed.nodes;
    const pairs = parts.pairs.map((pair) => shiftPair(pair, bodyDelta));
    const first = pairs[0];
    if (owner === 'body' && first) pairs[0] = newPair(withBefore(first.key, before), first.value);
    const frameKey = parts.framePair?.key;
    const nodes: PlacedNodes = { pairs };
    if (owner === 'frame' && frameKey)
      nodes.frameKey = withBefore(shiftNode(frameKey, frameDelta), before);
    parts.placed = { memo, nodes };
    return nodes;
  }

  private document(first: Placed, last: Placed): Document.Parsed {
    const shell = first.parts.doc;
    const doc = Object.create(
      Object.getPrototypeOf(shell) as object,
      Object.getOwnPropertyDescriptors(shell),
    ) as Document.Parsed;
    doc.contents = joinedMap(first, last, (p) => p.parts.contents, this.items);
    const end = shiftRange(last.parts.doc.range, last.bodyDelta);
    doc.range = [shell.range[0], end[1], end[2]];
    doc.comment = last.parts.doc.comment;
    doc.errors = [];
    doc.warnings = [];
    return doc;
  }
}

/**
 * One mapping made of the pieces of several windows: it starts where the first window's does,
 * ends (and takes its trailing comment) where the last one's does.
 */
function joinedMap(
  first: Placed,
  last: Placed,
  mapOf: (placed: Placed) => MapOfParsed,
  items: PairOfParsed[],
): MapOfParsed {
  const head = mapOf(first);
  const tail = mapOf(last);
  const map = newMapLike(head);
  map.items = items;
  const end = shiftRange(tail.range, last.bodyDelta);
  map.range = [head.range[0] + first.bodyDelta, end[1], end[2]];
  copyOwn(map, tail, 'comment');
  return map;
}

/** What a key takes from the sentinel before it, as a memo key. */
function beforeSignature(sentinel: ParsedNode | undefined): string {
  if (!sentinel) return '';
  const space = Object.hasOwn(sentinel, 'spaceBefore') ? String(sentinel.spaceBefore) : '-';
  const comment = Object.hasOwn(sentinel, 'commentBefore') ? `#${sentinel.commentBefore}` : '-';
  return `${space}${comment}`;
}

/** A key (a copy of its own) with the comments and blank line yaml put before the sentinel. */
function withBefore(key: ParsedNode, sentinel: ParsedNode | undefined): ParsedNode {
  if (!sentinel) return key;
  const copy = Object.assign(
    Object.create(Object.getPrototypeOf(key) as object) as ParsedNode,
    key,
  );
  copyOwn(copy, sentinel, 'commentBefore');
  copyOwn(copy, sentinel, 'spaceBefore');
  return copy;
}

/** yaml leaves out a property it has no value for; so does a composed node. */
function copyOwn<T extends object>(target: T, source: T, key: keyof T): void {
  if (Object.hasOwn(source, key)) target[key] = source[key];
  else delete target[key];
}
