import { isMap } from 'yaml';
import type { Document, Node, YAMLMap } from 'yaml';
import type { TextEdit } from 'vscode-languageserver';
import type { SpecPath, TextPositions, DiscriminatorReader } from 'backup-runner/spec';
import { schemasAt, locate } from 'backup-runner/spec';
import {
  acceptsList,
  allowedValues,
  defaultOf,
  examplesOf,
  namedEntrySchema,
  requiredKeys,
  isScalarValue,
} from './schema-facts';
import { ENTRY_TEMPLATES, snippetToText } from './templates';
import { contentEnd } from './text-ranges';
import { yamlScalar } from './yaml-scalar';

/** A nested value deeper than this is left for the user; a spec's required keys are shallow. */
const MAX_SKELETON_DEPTH = 4;

/**
 * The edit that adds required `keys` to the mapping at `path`, each with a value that passes
 * the schema where one is known (a default, an example, the first allowed value), so applying
 * the fix leaves a spec that validates further instead of one with a new error.
 */
export function missingKeysEdit(
  doc: Document,
  text: string,
  positions: TextPositions,
  path: SpecPath,
  keys: string[],
  read: DiscriminatorReader,
): TextEdit | undefined {
  const located = path.length === 0 ? { value: doc.contents ?? undefined } : locate(doc, path);
  if ('via' in located && located.via) return undefined;
  const map = located.value;
  if (!isMap(map) || !map.range) return undefined;
  if (map.flow) {
    const close = text.lastIndexOf('}', map.range[1]);
    if (close < map.range[0]) return undefined;
    const at = contentEnd(text, map.range[0], close);
    const entries = keys.map((key) => `${key}: ${inlineValue([...path, key], read, 0)}`);
    const separator = map.items.length > 0 ? ', ' : ' ';
    return insertAt(positions, at, `${separator}${entries.join(', ')}`);
  }
  const indent = keyColumn(map, positions);
  const end = contentEnd(text, map.range[0], map.range[1]);
  const lineEnd = positions.offsetAt({ line: positions.positionAt(end).line + 1, character: 0 });
  const at = contentEnd(text, end, lineEnd);
  const lines = keys.flatMap((key) => blockEntry([...path, key], key, indent, read, 0));
  return insertAt(positions, at, lines.map((line) => `\n${line}`).join(''));
}

function insertAt(positions: TextPositions, offset: number, newText: string): TextEdit {
  const position = positions.positionAt(offset);
  return { range: { start: position, end: position }, newText };
}

function keyColumn(map: YAMLMap, positions: TextPositions): number {
  const first = map.items[0]?.key as Node | null | undefined;
  const offset = first?.range?.[0] ?? map.range?.[0] ?? 0;
  return positions.positionAt(offset).character;
}

function blockEntry(
  path: SpecPath,
  key: string,
  indent: number,
  read: DiscriminatorReader,
  depth: number,
): string[] {
  const pad = ' '.repeat(indent);
  const schemas = schemasAt(path, read);
  const entry = namedEntrySchema(schemas);
  if (entry) {
    const template = ENTRY_TEMPLATES.find((t) => t.section === path.at(-1));
    if (!template) return [`${pad}${key}: {}`];
    const body = snippetToText(template.lines.join('\n')).split('\n');
    return [`${pad}${key}:`, ...body.map((line) => `${pad}  ${line}`)];
  }
  const required = requiredKeys(schemas);
  if (required.length > 0 && depth < MAX_SKELETON_DEPTH && !scalarOf(schemas)) {
    return [
      `${pad}${key}:`,
      ...required.flatMap((child) =>
        blockEntry([...path, child], child, indent + 2, read, depth + 1),
      ),
    ];
  }
  return [`${pad}${key}: ${inlineValue(path, read, depth)}`];
}

/** A value on one line: a scalar, a flow list, or a flow mapping of the required keys. */
function inlineValue(path: SpecPath, read: DiscriminatorReader, depth: number): string {
  const schemas = schemasAt(path, read);
  const scalar = scalarOf(schemas);
  if (scalar !== undefined) return yamlScalar(scalar);
  const example = examplesOf(schemas).find(Array.isArray);
  if (example) return `[${example.filter(isScalarValue).map(yamlScalar).join(', ')}]`;
  if (acceptsList(schemas)) return '[]';
  const required = depth < MAX_SKELETON_DEPTH ? requiredKeys(schemas) : [];
  const entries = required.map((key) => `${key}: ${inlineValue([...path, key], read, depth + 1)}`);
  return entries.length > 0 ? `{ ${entries.join(', ')} }` : '{}';
}

function scalarOf(schemas: ReturnType<typeof schemasAt>): string | number | boolean | undefined {
  const allowed = allowedValues(schemas);
  const preferred = allowed.find((v) => v.isDefault) ?? allowed[0];
  if (preferred) return preferred.value;
  const candidates = [defaultOf(schemas), ...examplesOf(schemas)];
  return candidates.find(isScalarValue);
}
