/** The end of `[start, end)` without trailing spaces and line breaks: where a block really ends. */
export function contentEnd(text: string, start: number, end: number): number {
  let i = Math.min(end, text.length);
  while (i > start && /\s/.test(text[i - 1] ?? '')) i--;
  return i;
}
