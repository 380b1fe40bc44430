import { isAlias, isDocument, isMap, isPair, isScalar, isSeq } from 'yaml';

/**
 * A yaml document as plain data for deepStrictEqual: every node's kind and own properties
 * (ranges, values, scalar types and sources, comments, blank lines before, flow flags, tags),
 * recursively. The schema is left out: each parse makes its own, with the same tags; symbols and
 * functions are compared by name.
 */
export function yamlTree(node: unknown): unknown {
  // A merge key (`<<`) is a scalar whose value is a symbol, with yaml's merge function on it.
  if (typeof node === 'symbol') return `symbol ${String(node.description)}`;
  if (typeof node === 'function') return `function ${node.name}`;
  if (node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map(yamlTree);
  const out: Record<string, unknown> = { kind: kindOf(node) };
  for (const [key, value] of Object.entries(node)) {
    if (key === 'schema') continue;
    out[key] = yamlTree(value);
  }
  return out;
}

function kindOf(node: object): string {
  if (isDocument(node)) return 'document';
  if (isPair(node)) return 'pair';
  if (isScalar(node)) return 'scalar';
  if (isMap(node)) return 'map';
  if (isSeq(node)) return 'seq';
  if (isAlias(node)) return 'alias';
  return node.constructor.name;
}
