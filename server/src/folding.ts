import { isCollection, isPair, isScalar, visit } from 'yaml';
import type { Node } from 'yaml';
import { FoldingRangeKind } from 'vscode-languageserver';
import type { FoldingRange } from 'vscode-languageserver';
import type { TextPositions } from 'backup-runner/spec';
import type { DocumentAnalysis } from './analysis';
import { contentEnd } from './text-ranges';

/**
 * Folding: every mapping entry, list item and block scalar that spans several lines, folded from
 * the line of its key (a list under `paths:` folds at `paths:`, even when its items are not
 * indented further), and runs of comment lines.
 */
export function foldingRanges(analysis: DocumentAnalysis): FoldingRange[] {
  const { structure: parsed } = analysis;
  const ranges: FoldingRange[] = [];
  const add = (startLine: number, endLine: number, kind?: FoldingRangeKind) => {
    if (endLine <= startLine) return;
    const range: FoldingRange = { startLine, endLine };
    if (kind) range.kind = kind;
    ranges.push(range);
  };
  if (parsed.doc) {
    visit(parsed.doc, {
      Pair(_key, pair) {
        const key = pair.key as Node | null;
        const value = pair.value as Node | null;
        if (!key?.range || !value?.range || !foldable(value)) return;
        add(
          lineOf(parsed.positions, key.range[0]),
          lastLine(analysis.text, parsed.positions, value.range),
        );
      },
      Node(_key, node, path) {
        // Entries fold at their key (above); the document's own mapping would fold everything.
        if (!node.range || !foldable(node) || isPair(path.at(-1)) || path.length <= 1) return;
        add(
          lineOf(parsed.positions, node.range[0]),
          lastLine(analysis.text, parsed.positions, node.range),
        );
      },
    });
  }
  commentRuns(analysis.text, add);
  return dedupe(ranges);
}

function foldable(node: Node): boolean {
  return (
    isCollection(node) ||
    (isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED'))
  );
}

function lineOf(positions: TextPositions, offset: number): number {
  return positions.positionAt(offset).line;
}

/** The line of a node's last character (block nodes end after their final line break). */
function lastLine(text: string, positions: TextPositions, range: readonly number[]): number {
  const [start = 0, end = 0] = range;
  return positions.positionAt(Math.max(start, contentEnd(text, start, end) - 1)).line;
}

function commentRuns(
  text: string,
  add: (start: number, end: number, kind: FoldingRangeKind) => void,
) {
  const lines = text.split(/\r\n|\r|\n/);
  let runStart = -1;
  lines.forEach((line, index) => {
    const isComment = /^\s*#/.test(line);
    if (isComment && runStart < 0) runStart = index;
    if (!isComment && runStart >= 0) {
      add(runStart, index - 1, FoldingRangeKind.Comment);
      runStart = -1;
    }
  });
  if (runStart >= 0) add(runStart, lines.length - 1, FoldingRangeKind.Comment);
}

function dedupe(ranges: FoldingRange[]): FoldingRange[] {
  const seen = new Set<string>();
  return ranges
    .sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine)
    .filter((range) => {
      const key = `${range.startLine}:${range.endLine}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
