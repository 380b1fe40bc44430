import { LSPErrorCodes, ResponseError, TextDocuments } from 'vscode-languageserver';
import type { Connection, InitializeResult } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import packageJson from '../package.json';
import type { DocumentAnalysis } from './analysis';
import { AnalysisCache } from './analysis';
import { CAPABILITIES } from './capabilities';
import { codeActionsFor } from './code-actions';
import { completeAt } from './completion';
import { Debouncer } from './debouncer';
import { definitionAt, referencesAt } from './definition';
import { toLspDiagnostic } from './diagnostics';
import { documentSymbols } from './document-symbols';
import { foldingRanges } from './folding';
import { hoverAt } from './hover';
import { prepareRenameAt, renameAt } from './rename';

export interface ServerOptions {
  /** Quiet period after a change before the document is validated again. */
  debounceMs?: number;
}

/** Wires the language-service functions to an LSP connection; no logic of its own. */
export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const debouncer = new Debouncer(options.debounceMs ?? 200);
  const analyses = new AnalysisCache();
  let snippets = false;

  /** Runs a feature on the document's analysis (one per version, shared by every request). */
  const withAnalysis = <T>(uri: string, fallback: T, feature: (a: DocumentAnalysis) => T): T => {
    const document = documents.get(uri);
    if (!document) return fallback;
    return feature(analyses.get(uri, document.version, () => document.getText()));
  };

  const published = new Map<string, number>();
  const publish = (uri: string) => {
    const document = documents.get(uri);
    if (!document || published.get(uri) === document.version) return;
    published.set(uri, document.version);
    const diagnostics = withAnalysis(uri, [], (a) => a.validation.diagnostics.map(toLspDiagnostic));
    void connection.sendDiagnostics({ uri, version: document.version, diagnostics });
  };

  connection.onInitialize((params): InitializeResult => {
    snippets =
      params.capabilities.textDocument?.completion?.completionItem?.snippetSupport === true;
    return {
      capabilities: CAPABILITIES,
      serverInfo: { name: 'backup-yaml-language-server', version: packageJson.version },
    };
  });

  connection.onCompletion(({ textDocument, position }) =>
    withAnalysis(textDocument.uri, [], (a) => completeAt(a, position, { snippets })),
  );
  connection.onHover(({ textDocument, position }) =>
    withAnalysis(textDocument.uri, null, (a) => hoverAt(a, position)),
  );
  connection.onDocumentSymbol(({ textDocument }) =>
    withAnalysis(textDocument.uri, [], documentSymbols),
  );
  connection.onFoldingRanges(({ textDocument }) =>
    withAnalysis(textDocument.uri, [], foldingRanges),
  );
  connection.onDefinition(({ textDocument, position }) =>
    withAnalysis(textDocument.uri, [], (a) => definitionAt(a, position)),
  );
  connection.onReferences(({ textDocument, position, context }) =>
    withAnalysis(textDocument.uri, [], (a) =>
      referencesAt(a, position, context.includeDeclaration),
    ),
  );
  connection.onPrepareRename(({ textDocument, position }) =>
    withAnalysis(textDocument.uri, null, (a) => prepareRenameAt(a, position) ?? null),
  );
  connection.onRenameRequest(({ textDocument, position, newName }) =>
    withAnalysis(textDocument.uri, null, (a) => {
      const result = renameAt(a, position, newName);
      return result.ok
        ? result.edit
        : new ResponseError(LSPErrorCodes.RequestFailed, result.message);
    }),
  );
  connection.onCodeAction(({ textDocument, context }) =>
    withAnalysis(textDocument.uri, [], (a) => codeActionsFor(a, context.diagnostics, context.only)),
  );

  documents.onDidOpen(({ document }) => publish(document.uri));
  documents.onDidChangeContent(({ document }) => {
    // Also fired on open, after the open handler published; publish() skips a version it sent.
    if (published.get(document.uri) !== document.version)
      debouncer.schedule(document.uri, () => publish(document.uri));
  });
  documents.onDidClose(({ document }) => {
    debouncer.cancel(document.uri);
    published.delete(document.uri);
    analyses.delete(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });
  connection.onShutdown(() => debouncer.dispose());

  documents.listen(connection);
  connection.listen();
}
