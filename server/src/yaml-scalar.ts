import { parseDocument } from 'yaml';

// A value written as a YAML scalar that reads back as the same value: plain when it can be,
// single-quoted when plain text would become something else (`@daily`, `*/5 * * * *` which
// would be an alias, `'5'` for a string, `a: b`).
export function yamlScalar(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  if (SAFE_PLAIN.test(value) && !CORE_KEYWORDS.test(value)) return value;
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

/**
 * Strings that YAML reads as themselves without a parse to check: names, paths, enum values.
 * A letter, `_` or `/` first rules out numbers; only the core schema's words remain to rule out.
 */
const SAFE_PLAIN = /^[A-Za-z_/][A-Za-z0-9_./-]*$/;
const CORE_KEYWORDS = /^(true|True|TRUE|false|False|FALSE|null|Null|NULL)$/;

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
