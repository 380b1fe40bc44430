const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `15m`, `1h30m`, `7d` → milliseconds; undefined when it is not such a duration. */
export function parseDuration(text: string): number | undefined {
  if (!/^([0-9]+[smhd])+$/.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/([0-9]+)([smhd])/g))
    total += Number(amount) * (UNIT_MS[unit ?? 's'] ?? 0);
  return total;
}

/** restic's `7d`, `2m` (months), `1y6m` → an approximate number of milliseconds (a month = 30 days). */
export function parseResticDuration(text: string): number | undefined {
  if (!/^([0-9]+[ymdh])+$/.test(text)) return undefined;
  const units: Record<string, number> = {
    y: 365 * 86_400_000,
    m: 30 * 86_400_000,
    d: 86_400_000,
    h: 3_600_000,
  };
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/([0-9]+)([ymdh])/g))
    total += Number(amount) * (units[unit ?? 'd'] ?? 0);
  return total;
}
