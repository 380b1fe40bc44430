import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, Node, Pair, YAMLMap } from 'yaml';
import type { SpecPath } from './diagnostic';

/** Where a spec path is in the YAML text. */
export interface Located {
  /** The key of the last path segment, when it is a mapping entry. */
  key?: Node;
  /** The value at the path, when it exists. */
  value?: Node;
  /**
   * The alias (or merge key) the path went through, if any. What is inside an anchor is reported
   * where it is used, because the same anchor can be valid in one place and not in another.
   */
  via?: Node;
  /** The deepest node that exists on the path (the path may name something missing). */
  deepest?: Node;
  found: boolean;
}

export function locate(doc: Document, path: SpecPath): Located {
  let current: unknown = doc.contents;
  let via: Node | undefined;
  let key: Node | undefined;
  let deepest = isNode(current) ? current : undefined;
  for (const segment of path) {
    if (isAlias(current)) {
      via ??= current;
      current = current.resolve(doc);
    }
    key = undefined;
    if (isMap(current)) {
      const hit = findPair(doc, current, String(segment));
      if (!hit) return { via, deepest, found: false };
      if (hit.via) via ??= hit.via;
      key = isNode(hit.pair.key) ? hit.pair.key : undefined;
      current = hit.pair.value;
    } else if (isSeq(current) && typeof segment === 'number') {
      if (segment >= current.items.length) return { via, deepest, found: false };
      current = current.items[segment];
    } else {
      return { via, deepest, found: false };
    }
    if (isNode(current)) deepest = current;
    else if (key) deepest = key;
  }
  return { key, value: isNode(current) ? current : undefined, via, deepest, found: true };
}

interface MapIndex {
  own: Map<string, Pair>;
  merges: Pair[];
}

/** Key lookups per mapping, built once: a spec with many errors looks up many keys. */
const indexes = new WeakMap<YAMLMap, MapIndex>();

function indexOf(map: YAMLMap): MapIndex {
  let index = indexes.get(map);
  if (index) return index;
  index = { own: new Map(), merges: [] };
  for (const pair of map.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    if (key === '<<') index.merges.push(pair);
    else if (!index.own.has(key)) index.own.set(key, pair);
  }
  indexes.set(map, index);
  return index;
}

/** Finds `name` in a mapping, looking through `<<` merge keys the way YAML merges them. */
function findPair(
  doc: Document,
  map: YAMLMap,
  name: string,
  depth = 0,
): { pair: Pair; via?: Node } | undefined {
  const { own, merges } = indexOf(map);
  const pair = own.get(name);
  if (pair) return { pair };
  if (depth > 16) return undefined;
  for (const merge of merges) {
    const sources = isSeq(merge.value) ? merge.value.items : [merge.value];
    for (const source of sources) {
      const target = isAlias(source) ? source.resolve(doc) : source;
      if (!isMap(target)) continue;
      const hit = findPair(doc, target, name, depth + 1);
      if (hit) return { pair: hit.pair, via: isNode(source) ? source : undefined };
    }
  }
  return undefined;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'range' in value;
}

/** [start, end] of a node's text without trailing comments. */
export function nodeSpan(node: Node): [number, number] {
  const range = node.range;
  if (!range) return [0, 0];
  return [range[0], range[1]];
}

/** True when a value node has no text of its own (`key:` with nothing after it). */
export function isEmptyNode(node: Node | undefined): boolean {
  if (!node?.range) return true;
  return node.range[0] === node.range[1];
}

/** True when a node spans several lines, where highlighting all of it would be noise. */
export function isMultiLine(node: Node, text: string): boolean {
  const [start, end] = nodeSpan(node);
  return text.slice(start, end).trimEnd().includes('\n');
}
