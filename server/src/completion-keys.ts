import { CompletionItemKind, InsertTextFormat, MarkupKind } from 'vscode-languageserver';
import type { CompletionItem } from 'vscode-languageserver';
import type { SpecPath, JsonSchema } from 'backup-runner/spec';
import { resolveRef, schemasAt } from 'backup-runner/spec';
import type { CompletionOptions } from './completion';
import { readerFor, replaceRange, sortKey } from './completion';
import type { CursorContext } from './cursor-context';
import { schemaMarkdown } from './schema-docs';
import {
  acceptsList,
  acceptsMapping,
  acceptsScalar,
  allowedValues,
  defaultOf,
  examplesOf,
  namedEntrySchema,
  propertyKeys,
  requiredKeys,
  typeLabel,
  isScalarValue,
} from './schema-facts';
import { ENTRY_TEMPLATES, escapeSnippet, renderTemplate, snippetToText } from './templates';
import { yamlScalar } from './yaml-scalar';

/** Keys of the mapping at `path` that are not there yet, or snippets for a new named entry. */
export function keyCompletions(
  context: CursorContext,
  path: SpecPath,
  options: CompletionOptions,
): CompletionItem[] {
  const read = readerFor(context, path);
  const schemas = schemasAt(path, read);
  if (!acceptsMapping(schemas)) return [];
  if (namedEntrySchema(schemas)) return entrySnippets(context, path, options);
  const present = new Set(context.presentKeys);
  const required = new Set(requiredKeys(schemas));
  const keys = propertyKeys(schemas).filter((key) => !present.has(key));
  return keys.map((key, index) => {
    const child = schemasAt([...path, key], read);
    const isRequired = required.has(key);
    const owners = ownersOf(schemas, key);
    const detail = [typeLabel(child), isRequired ? 'required' : undefined, owners]
      .filter(Boolean)
      .join(' · ');
    const insertion = keyInsertion([...path, key], child, context, options);
    return {
      label: key,
      kind: CompletionItemKind.Property,
      detail,
      documentation: { kind: MarkupKind.Markdown, value: schemaMarkdown(child) },
      sortText: sortKey(isRequired ? 0 : 1, index),
      filterText: key,
      textEdit: { range: replaceRange(context), newText: insertion.text },
      insertTextFormat: insertion.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    };
  });
}

/** When a source's type is unknown, say which kinds of source a key belongs to. */
function ownersOf(schemas: JsonSchema[], key: string): string | undefined {
  const kinds = schemas.filter((schema) => schema.properties?.['type']?.const !== undefined);
  const owners = kinds.filter((schema) => schema.properties?.[key]);
  if (kinds.length < 2 || owners.length === kinds.length) return undefined;
  return `${owners.map((schema) => String(schema.properties?.['type']?.const)).join(', ')} source`;
}

function keyInsertion(
  path: SpecPath,
  schemas: JsonSchema[],
  context: CursorContext,
  options: CompletionOptions,
): { text: string; snippet: boolean } {
  const key = String(path.at(-1));
  if (context.keyHasColon) return { text: key, snippet: false };
  const childIndent = `\n${' '.repeat(context.keyColumn + 2)}`;
  const values = allowedValues(schemas);
  const mappingOnly = acceptsMapping(schemas) && !acceptsScalar(schemas);
  const listOnly = acceptsList(schemas) && !acceptsScalar(schemas) && !mappingOnly;
  if (!options.snippets) {
    const block = !context.flow && (mappingOnly || (listOnly && !scalarItems(schemas)));
    return { text: block ? `${key}:${childIndent}` : `${key}: `, snippet: false };
  }
  if (values.length === 1)
    return { text: `${key}: ${yamlScalar(values[0]?.value ?? '')}`, snippet: false };
  if (values.length > 1) {
    const ordered = [...values].sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
    const choices = ordered.map((v) => escapeChoice(yamlScalar(v.value))).join(',');
    return { text: `${key}: \${1|${choices}|}`, snippet: true };
  }
  if (mappingOnly) {
    if (context.flow) return { text: `${key}: { $0 }`, snippet: true };
    const required = requiredKeys(schemas);
    if (required.length === 0) return { text: `${key}:${childIndent}$0`, snippet: true };
    const lines = required.map(
      (name, i) => `${name}: ${placeholder(i + 1, exampleOf(schemasAt([...path, name])))}`,
    );
    return { text: `${key}:${childIndent}${lines.join(childIndent)}`, snippet: true };
  }
  if (listOnly) {
    if (context.flow || scalarItems(schemas)) return { text: `${key}: [$0]`, snippet: true };
    return { text: `${key}:${childIndent}- $0`, snippet: true };
  }
  const example = exampleOf(schemas);
  if (example === undefined) return { text: `${key}: $0`, snippet: true };
  return { text: `${key}: ${placeholder(1, example)}`, snippet: true };
}

function exampleOf(schemas: JsonSchema[]): string | number | boolean | undefined {
  return [defaultOf(schemas), ...examplesOf(schemas)].find(isScalarValue);
}

/** `'@daily'` → `'${1:@daily}'`: the quotes stay outside the placeholder. */
function placeholder(index: number, value: string | number | boolean | undefined): string {
  if (value === undefined) return `\${${index}}`;
  const scalar = yamlScalar(value);
  const quoted = /^'(.*)'$/.exec(scalar);
  return quoted
    ? `'\${${index}:${escapeSnippet(quoted[1] ?? '')}}'`
    : `\${${index}:${escapeSnippet(scalar)}}`;
}

/** Lists of strings read best inline (`tables: [a, b]`); lists of mappings as a block. */
function scalarItems(schemas: JsonSchema[]): boolean {
  const items = schemas.find((schema) => schema.items)?.items;
  if (!items) return false;
  const resolved = [resolveRef(items)];
  return acceptsScalar(resolved) && !acceptsMapping(resolved);
}

function escapeChoice(text: string): string {
  return text.replace(/[,|\\$}]/g, '\\$&');
}

function entrySnippets(
  context: CursorContext,
  path: SpecPath,
  options: CompletionOptions,
): CompletionItem[] {
  if (path.length !== 1 || context.keyHasColon || context.flow) return [];
  const indent = ' '.repeat(context.keyColumn);
  const name = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(context.typed) ? context.typed : undefined;
  return ENTRY_TEMPLATES.filter((template) => template.section === path[0]).map(
    (template, index) => {
      const snippet = renderTemplate(template, indent, name);
      return {
        label: template.label,
        kind: CompletionItemKind.Snippet,
        detail: `new ${template.section === 'sources' ? 'source' : 'target'}`,
        documentation: {
          kind: MarkupKind.Markdown,
          value: `${template.description}\n\n\`\`\`yaml\n${snippetToText(template.lines.join('\n'))}\n\`\`\``,
        },
        sortText: sortKey(0, index),
        filterText: name ?? template.label,
        textEdit: {
          range: replaceRange(context),
          newText: options.snippets ? snippet : snippetToText(snippet),
        },
        insertTextFormat: options.snippets ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      };
    },
  );
}
