import type { JsonSchema } from 'backup-runner/spec';
import type { ScalarValue } from './schema-facts';
import { allowedValues, defaultOf, descriptionOf, examplesOf, typeLabel } from './schema-facts';

/**
 * The documentation of a place in the spec as Markdown, from the schema alone: its description,
 * default, allowed values (each with its own documentation) and examples. Completion shows it
 * beside an item; hover shows it under a title.
 */
export function schemaMarkdown(schemas: JsonSchema[]): string {
  const parts: string[] = [];
  const description = descriptionOf(schemas);
  if (description) parts.push(description);
  const values = allowedValues(schemas);
  const fallback = defaultOf(schemas);
  if (values.length > 1) {
    parts.push(
      [
        'Allowed values:',
        ...values.map(
          (v) =>
            `- ${code(v.value)}${v.isDefault ? ' (default)' : ''}${v.markdown ? ` — ${v.markdown}` : ''}`,
        ),
      ].join('\n'),
    );
  } else if (fallback !== undefined) {
    parts.push(`Default: ${code(fallback)}`);
  }
  const examples = examplesOf(schemas);
  if (examples.length > 0)
    parts.push(
      `${examples.length === 1 ? 'Example' : 'Examples'}: ${examples.map(code).join(', ')}`,
    );
  return parts.join('\n\n');
}

/** `**path** · absolute path · required`: the first line of a hover. */
export function schemaTitle(name: string, schemas: JsonSchema[], required: boolean): string {
  const type = typeLabel(schemas);
  return [`**${name}**`, type && escapeMarkdown(type), required ? 'required' : undefined]
    .filter(Boolean)
    .join(' · ');
}

/** The documentation of one allowed value, when it has its own. */
export function valueMarkdown(schemas: JsonSchema[], value: ScalarValue): string | undefined {
  return allowedValues(schemas).find((v) => v.value === value)?.markdown;
}

export function code(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${text}${fence}`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/([|*_\\])/g, '\\$1');
}
