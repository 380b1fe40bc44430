/**
 * Golden-fixture markers: `# want CODE[, CODE]` on the line a diagnostic starts on, or
 * `# want-next CODE` on the line before it (for lines that cannot carry a comment).
 * Returns "LINE:CODE" strings with 1-based lines, as the CLI prints them.
 */
export function wantedDiagnostics(text: string): string[] {
  const wanted: string[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const match = /#\s*want(-next)?\s+([a-z-]+(?:\s*,\s*[a-z-]+)*)\s*$/.exec(line);
    if (!match) return;
    const target = index + 1 + (match[1] ? 1 : 0);
    for (const code of (match[2] ?? '').split(',')) wanted.push(`${target}:${code.trim()}`);
  });
  return wanted.sort();
}
