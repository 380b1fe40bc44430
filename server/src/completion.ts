import type { CompletionItem, Position, Range } from 'vscode-languageserver';
import type { SpecPath, DiscriminatorReader } from 'backup-runner/spec';
import type { DocumentAnalysis } from './analysis';
import { keyCompletions } from './completion-keys';
import { valueCompletions } from './completion-values';
import type { CursorContext } from './cursor-context';
import { cursorContext } from './cursor-context';

export interface CompletionOptions {
  /** The client understands snippets (`${1:placeholder}`); otherwise plain text is inserted. */
  snippets: boolean;
}

/**
 * Completion at a position: the keys that may still be added to the mapping at the cursor, the
 * values a scalar there may take, names of sources where a target lists them, and snippets for
 * new sources and targets. Reads only the text around the cursor, so it works in YAML that does
 * not parse yet and costs the same in a 2,000-line spec as in a 20-line one.
 */
export function completeAt(
  analysis: DocumentAnalysis,
  position: Position,
  options: CompletionOptions = { snippets: true },
): CompletionItem[] {
  const context = cursorContext(analysis.lines, position.line, position.character);
  if (!context) return [];
  const items = [
    ...(context.mapPath ? keyCompletions(context, context.mapPath, options) : []),
    ...(context.valuePath ? valueCompletions(context, context.valuePath, analysis.lines) : []),
  ];
  const seen = new Set<string>();
  return items.filter((item) => {
    if (seen.has(item.label)) return false;
    seen.add(item.label);
    return true;
  });
}

/** The range a completion replaces: the word at the cursor. */
export function replaceRange(context: CursorContext): Range {
  return {
    start: { line: context.line, character: context.start },
    end: { line: context.line, character: context.end },
  };
}

/** The type of the mapping at the cursor comes from its `type:` line, wherever the cursor is. */
export function readerFor(context: CursorContext, mapPath: SpecPath): DiscriminatorReader {
  return (path, property) => (samePath(path, mapPath) ? context.entryValue(property) : undefined);
}

function samePath(a: SpecPath, b: SpecPath): boolean {
  return a.length === b.length && a.every((segment, i) => String(segment) === String(b[i]));
}

/** Sort keys keep the order the items are given in; VS Code otherwise sorts by label. */
export function sortKey(group: number, index: number): string {
  return `${group}${String(index).padStart(4, '0')}`;
}
