import { parseDocument } from 'yaml';

// A value written as a YAML scalar that reads back as the same value: plain when it can be,
// single-quoted when plain text would become something else (`@daily`, `*/5 * * * *` which
// would be an alias, `'5'` for a string, `a: b`).
export function yamlScalar(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  if (value !== '' && readsBackAs(value, value)) return value;
  return `'${value.replace(/'/g, "''")}'`;
}

/** The text to insert between quotes the user already typed. */
export function quotedContent(value: string | number | boolean, quote: '"' | "'"): string {
  const text = String(value);
  return quote === "'"
    ? text.replace(/'/g, "''")
    : text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

function readsBackAs(text: string, expected: unknown): boolean {
  if (/[\n\r\t]/.test(text) || text.trim() !== text) return false;
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || doc.warnings.length > 0) return false;
  try {
    return doc.toJS() === expected;
  } catch {
    // `*.log` reads as an alias that resolves to nothing.
    return false;
  }
}
