/** Defensive readers: semantic checks run on data that may have failed the schema. */

export type Entries = [string, Record<string, unknown>][];

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asStrings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

/** The named entries of a map such as `sources` or `targets` whose values are mappings. */
export function namedEntries(root: Record<string, unknown>, key: string): Entries {
  const map = asRecord(root[key]);
  if (!map) return [];
  const out: Entries = [];
  for (const [name, value] of Object.entries(map)) {
    const record = asRecord(value);
    if (record) out.push([name, record]);
  }
  return out;
}
