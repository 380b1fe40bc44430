import { distance } from 'fastest-levenshtein';

/** Candidates close enough to `word` to be what was meant, best first (at most three). */
export function suggest(word: string, candidates: Iterable<string>): string[] {
  // Edit distance is quadratic; a key this long is not a typo of a short one.
  if (word.length > 64) return [];
  const lower = word.toLowerCase();
  const limit = Math.max(1, Math.floor(word.length / 3));
  const scored: [string, number][] = [];
  for (const candidate of new Set(candidates)) {
    if (candidate === word) continue;
    const other = candidate.toLowerCase();
    // Levenshtein counts a swap of two letters (evn/env) as two edits; it is one typo.
    // An abbreviation (snap for snapshot) is as good a hint as a typo.
    const d =
      isAnagram(lower, other) || (lower.length >= 3 && other.startsWith(lower))
        ? 1
        : distance(lower, other);
    const sameWords = normalizeSeparators(lower) === normalizeSeparators(other);
    if (d <= limit || sameWords) scored.push([candidate, sameWords ? 0 : d]);
  }
  scored.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  return scored.slice(0, 3).map(([candidate]) => candidate);
}

function isAnagram(a: string, b: string): boolean {
  return a.length === b.length && [...a].sort().join('') === [...b].sort().join('');
}

function normalizeSeparators(word: string): string {
  return word.replace(/[-_. ]/g, '');
}

/** "a", "a or b", "a, b or c" with each item quoted. */
export function quotedList(items: readonly (string | number | boolean)[], joiner = 'or'): string {
  const quoted = items.map((item) => JSON.stringify(item));
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} ${joiner} ${quoted.at(-1)}`;
}
