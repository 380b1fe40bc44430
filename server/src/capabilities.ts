import { CodeActionKind, TextDocumentSyncKind } from 'vscode-languageserver';
import type { ServerCapabilities } from 'vscode-languageserver';

/** What the server offers; every feature is a pure function of the document's analysis. */
export const CAPABILITIES: ServerCapabilities = {
  textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
  // A space after `key:` offers its values; `[` and `,` the names a target lists.
  completionProvider: { triggerCharacters: [' ', ':', '[', ','], resolveProvider: false },
  hoverProvider: true,
  documentSymbolProvider: { label: 'backup.yaml' },
  foldingRangeProvider: true,
  definitionProvider: true,
  referencesProvider: true,
  renameProvider: { prepareProvider: true },
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix], resolveProvider: false },
};
