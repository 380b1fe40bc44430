import { TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver';
import type { Connection, InitializeResult } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import packageJson from '../package.json';
import { Debouncer } from './debouncer';
import { diagnose } from './diagnostics';

export interface ServerOptions {
  /** Quiet period after a change before the document is validated again. */
  debounceMs?: number;
}

/** Wires the language-service functions to an LSP connection; no logic of its own. */
export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const debouncer = new Debouncer(options.debounceMs ?? 200);

  const published = new Map<string, number>();
  const publish = (uri: string) => {
    const document = documents.get(uri);
    if (!document || published.get(uri) === document.version) return;
    published.set(uri, document.version);
    void connection.sendDiagnostics({
      uri,
      version: document.version,
      diagnostics: diagnose(document.getText()),
    });
  };

  connection.onInitialize((): InitializeResult => ({
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
    },
    serverInfo: { name: 'backup-yaml-language-server', version: packageJson.version },
  }));

  documents.onDidOpen(({ document }) => publish(document.uri));
  documents.onDidChangeContent(({ document }) => {
    // Also fired on open, after the open handler published; publish() skips a version it sent.
    if (published.get(document.uri) !== document.version)
      debouncer.schedule(document.uri, () => publish(document.uri));
  });
  documents.onDidClose(({ document }) => {
    debouncer.cancel(document.uri);
    published.delete(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });
  connection.onShutdown(() => debouncer.dispose());

  documents.listen(connection);
  connection.listen();
}
