import type { TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';

/** The text after the edits, applied as an editor applies them (non-overlapping, any order). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(
    TextDocument.create('file:///x.yaml', 'backup-yaml', 0, text),
    edits,
  );
}

/** Snippet placeholders replaced by their defaults, as if the user accepted each one. */
export function acceptSnippet(snippet: string): string {
  return snippet
    .replace(/\$\{\d+:((?:\\.|[^}\\])*)\}/g, (_m, text: string) => text.replace(/\\(.)/g, '$1'))
    .replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1')
    .replace(/\$\{\d+\}|\$\d+/g, '');
}
