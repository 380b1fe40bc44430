import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Document, Node } from 'yaml';
import type { SpecPath } from 'backup-runner/spec';

export interface NodeAtOffset {
  /** The spec path of the key or value under the offset. */
  path: SpecPath;
  on: 'key' | 'value';
  node: Node;
  /** Offsets of the node's text. */
  start: number;
  end: number;
}

/** Bounds the descent on pathological input; a backup.yaml is a few levels deep. */
const MAX_DEPTH = 256;

/**
 * The mapping key or scalar value at an offset of a parsed document, with its spec path. Works
 * on documents with errors: the parser keeps what it could read.
 */
export function nodeAt(doc: Document, offset: number): NodeAtOffset | undefined {
  let node: unknown = doc.contents;
  const path: (string | number)[] = [];
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (isMap(node)) {
      let next: unknown;
      for (const pair of node.items) {
        const key = pair.key;
        if (!isScalar(key)) continue;
        if (within(key, offset, true)) return hit([...path, String(key.value)], 'key', key);
        if (isNode(pair.value) && within(pair.value, offset, isScalar(pair.value))) {
          path.push(String(key.value));
          next = pair.value;
          break;
        }
      }
      if (next === undefined) return undefined;
      node = next;
    } else if (isSeq(node)) {
      const index = node.items.findIndex(
        (item) => isNode(item) && within(item, offset, isScalar(item)),
      );
      if (index < 0) return undefined;
      path.push(index);
      node = node.items[index];
    } else if (isScalar(node) || isAlias(node)) {
      return hit(path, 'value', node);
    } else {
      return undefined;
    }
  }
  return undefined;
}

function hit(path: SpecPath, on: 'key' | 'value', node: Node): NodeAtOffset {
  const [start, end] = node.range ?? [0, 0];
  return { path, on, node, start, end };
}

/** A scalar also counts at its end, where the cursor is after typing it. */
function within(node: Node, offset: number, inclusiveEnd: boolean): boolean {
  const range = node.range;
  if (!range) return false;
  return range[0] <= offset && (offset < range[1] || (inclusiveEnd && offset === range[1]));
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'range' in value;
}
