import { Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { ParsedNode, Range } from 'yaml';

/**
 * Copies of parsed nodes with their ranges moved: an entry parsed once sits at another offset in
 * the next version of the text.
 *
 * yaml marks each node's kind with a non-enumerable own property (Symbol.for('yaml.node.type'),
 * what isScalar/isMap/isPair read), set by Object.defineProperty in its constructors; that costs
 * ~0.3 µs a node, 5 ms for a 2,000-line spec. A copy gets the mark from a prototype between it
 * and yaml's class instead: still an instance of Scalar, YAMLMap..., found by isScalar, isMap...,
 * with the same own enumerable properties as the node yaml built. A collection's copy has no
 * schema (yaml keeps it non-enumerable and reads it only to create nodes inside, which nothing
 * does with a parsed spec; defining it cost another 6%). Windows hold no aliases (window.ts
 * refuses them), so scalars, mappings, sequences and pairs are all there is.
 */
const NODE_TYPE = Symbol.for('yaml.node.type');
const SCALAR = Symbol.for('yaml.scalar');
const MAP = Symbol.for('yaml.map');
const SEQ = Symbol.for('yaml.seq');
const PAIR = Symbol.for('yaml.pair');

const marked = (proto: object, type: symbol): object =>
  Object.create(proto, { [NODE_TYPE]: { value: type } }) as object;
const SCALAR_PROTO = marked(Scalar.prototype, SCALAR);
const MAP_PROTO = marked(YAMLMap.prototype, MAP);
const SEQ_PROTO = marked(YAMLSeq.prototype, SEQ);
const PAIR_PROTO = marked(Pair.prototype, PAIR);

type Kind = { [NODE_TYPE]?: symbol };
type ParsedPair = Pair<ParsedNode, ParsedNode | null>;

export function shiftNode<T extends ParsedNode | null>(node: T, delta: number): T {
  if (node === null) return node;
  const kind = (node as Kind)[NODE_TYPE];
  if (kind === SCALAR) return copyOf(SCALAR_PROTO, node, delta);
  if (kind === MAP) {
    const copy = copyOf(MAP_PROTO, node as ParsedNode & YAMLMap.Parsed, delta);
    copy.items = copy.items.map((pair) => shiftPair(pair, delta));
    return copy as T;
  }
  if (kind === SEQ) {
    const copy = copyOf(SEQ_PROTO, node as ParsedNode & YAMLSeq.Parsed, delta);
    copy.items = copy.items.map((item) => shiftNode(item, delta));
    return copy as T;
  }
  throw new Error(`parse reuse: cannot move a ${String(node.constructor.name)}`);
}

export function shiftPair(pair: ParsedPair, delta: number): ParsedPair {
  if ((pair as Kind)[NODE_TYPE] !== PAIR) throw new Error('parse reuse: an item is not a pair');
  return newPair(shiftNode(pair.key, delta), shiftNode(pair.value, delta));
}

/** A pair as yaml's constructor makes one: the key, then the value. */
export function newPair(key: ParsedNode, value: ParsedNode | null): ParsedPair {
  const pair = Object.create(PAIR_PROTO) as ParsedPair;
  pair.key = key;
  pair.value = value;
  return pair;
}

/** A mapping like `model` (its properties, the same kind), for the caller to give other items. */
export function newMapLike(model: YAMLMap.Parsed): YAMLMap.Parsed {
  return copyOf(MAP_PROTO, model, 0);
}

export function shiftRange(range: Range, delta: number): Range {
  return [range[0] + delta, range[1] + delta, range[2] + delta];
}

function copyOf<T extends ParsedNode>(proto: object, node: T, delta: number): T {
  const copy = Object.assign(Object.create(proto) as T, node);
  copy.range = shiftRange(node.range, delta);
  return copy;
}
