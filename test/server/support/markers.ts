import type { Position } from 'vscode-languageserver-protocol';

/**
 * Cursor markers in LSP fixtures: each `|` is a cursor (fixtures use no YAML block scalars, so
 * the character is free). Returns the text without markers and the cursors, in order.
 */
export function cursors(marked: string): { text: string; positions: Position[] } {
  const positions: Position[] = [];
  let text = '';
  let line = 0;
  let character = 0;
  for (const c of marked) {
    if (c === '|') {
      positions.push({ line, character });
      continue;
    }
    text += c;
    if (c === '\n') {
      line++;
      character = 0;
    } else {
      character += c.length;
    }
  }
  return { text, positions };
}

/** `  path: /x|` style context for golden output: the cursor's line with the marker put back. */
export function markedLine(text: string, position: Position): string {
  const line = text.split('\n')[position.line] ?? '';
  return `${line.slice(0, position.character)}|${line.slice(position.character)}`;
}
