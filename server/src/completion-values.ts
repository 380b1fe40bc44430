import { CompletionItemKind, InsertTextFormat, MarkupKind } from 'vscode-languageserver';
import type { CompletionItem } from 'vscode-languageserver';
import type { SpecPath } from 'backup-runner/spec';
import { schemasAt } from 'backup-runner/spec';
import { replaceRange, sortKey } from './completion';
import { readCron } from './cron-words';
import type { CursorContext } from './cursor-context';
import { code } from './schema-docs';
import type { ScalarValue } from './schema-facts';
import { acceptsScalar, allowedValues, defaultOf, examplesOf, isScalarValue } from './schema-facts';
import { isSourceReference } from './name-index';
import { CRON_PRESETS } from './templates';
import type { YamlLines } from './yaml-lines';
import { blockMapEntries, topLevelEntries, unquote } from './yaml-text-path';
import { quotedContent, yamlScalar } from './yaml-scalar';

/**
 * Values for the scalar at `path`: the allowed values with their documentation, names of
 * sources where a target lists them, cron presets for `schedule`, else the schema's examples.
 */
export function valueCompletions(
  context: CursorContext,
  path: SpecPath,
  lines: YamlLines,
): CompletionItem[] {
  if (isSourceReference(path)) return sourceNames(context, lines);
  const schemas = schemasAt(path);
  if (!acceptsScalar(schemas)) return [];
  if (path.length === 1 && path[0] === 'schedule') return cronPresets(context);
  const taken = new Set(context.siblingValues);
  const allowed = allowedValues(schemas).filter((v) => !taken.has(String(v.value)));
  if (allowed.length > 0) {
    return allowed.map((v, index) =>
      valueItem(context, v.value, {
        kind:
          typeof v.value === 'boolean' ? CompletionItemKind.Value : CompletionItemKind.EnumMember,
        detail: v.isDefault ? 'default' : undefined,
        markdown: v.markdown,
        sortText: sortKey(v.isDefault ? 0 : 1, index),
        preselect: v.isDefault,
      }),
    );
  }
  const fallback = defaultOf(schemas);
  const suggestions = [
    ...(isScalarValue(fallback) ? [{ value: fallback, detail: 'default' }] : []),
    ...examplesFor(path).map((value) => ({ value, detail: 'example' })),
  ].filter(({ value }) => !taken.has(String(value)));
  return suggestions.map(({ value, detail }, index) =>
    valueItem(context, value, {
      kind: CompletionItemKind.Value,
      detail,
      sortText: sortKey(2, index),
    }),
  );
}

interface ValueItemOptions {
  kind: CompletionItemKind;
  detail: string | undefined;
  markdown?: string | undefined;
  sortText: string;
  preselect?: boolean;
}

function valueItem(context: CursorContext, value: ScalarValue, options: ValueItemOptions) {
  const text = context.quote ? quotedContent(value, context.quote) : yamlScalar(value);
  const item: CompletionItem = {
    label: String(value),
    kind: options.kind,
    sortText: options.sortText,
    filterText: context.quote ? String(value) : text,
    textEdit: { range: replaceRange(context), newText: leadingSpace(context) + text },
    insertTextFormat: InsertTextFormat.PlainText,
  };
  if (options.detail) item.detail = options.detail;
  if (options.markdown) item.documentation = { kind: MarkupKind.Markdown, value: options.markdown };
  if (options.preselect) item.preselect = true;
  return item;
}

/** Right after `key:` (or `-`) the value needs its separating space. */
function leadingSpace(context: CursorContext): string {
  return context.needsSpace ? ' ' : '';
}

function sourceNames(context: CursorContext, lines: YamlLines): CompletionItem[] {
  const taken = new Set(context.siblingValues);
  return topLevelEntries(lines, 'sources')
    .filter((entry) => !taken.has(entry.key))
    .map((entry, index) => {
      const type = sourceType(lines, entry.line);
      return valueItem(context, entry.key, {
        kind: CompletionItemKind.Reference,
        detail: type ? `${type} source` : 'source',
        markdown: `Source ${code(entry.key)}, defined on line ${entry.line + 1}.`,
        sortText: sortKey(0, index),
      });
    });
}

function sourceType(lines: YamlLines, nameLine: number): string | undefined {
  const column = lines.line(nameLine).key?.start ?? 0;
  for (let j = nameLine + 1; j < lines.count; j++) {
    if (lines.indent(j) < 0) continue;
    const info = lines.line(j);
    if (info.indent <= column || !info.key) return undefined;
    if (info.key.text === 'type') return info.value ? unquote(info.value.text) : undefined;
    return blockMapEntries(lines, j, info.key.start).find((entry) => entry.key === 'type')?.value;
  }
  return undefined;
}

function cronPresets(context: CursorContext): CompletionItem[] {
  const now = new Date();
  return CRON_PRESETS.map((expression, index) => {
    const reading = readCron(expression, now, 1);
    return valueItem(context, expression, {
      kind: CompletionItemKind.Value,
      detail: reading.ok ? reading.words : undefined,
      markdown: reading.ok ? `${reading.words} (${code(expression)})` : undefined,
      sortText: sortKey(0, index),
    });
  });
}

/** Examples of the value, or items of the examples of the list it is an item of. */
function examplesFor(path: SpecPath): ScalarValue[] {
  const own = examplesOf(schemasAt(path)).filter(isScalarValue);
  if (own.length > 0 || typeof path.at(-1) !== 'number') return own;
  return examplesOf(schemasAt(path.slice(0, -1)))
    .flatMap((example) => (Array.isArray(example) ? example : []))
    .filter(isScalarValue);
}
