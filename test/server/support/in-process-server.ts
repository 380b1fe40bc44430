import type { ClientCapabilities, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import {
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
} from 'vscode-languageserver-protocol/node';
import type { InitializeResult, ProtocolConnection } from 'vscode-languageserver-protocol/node';
import { DiagnosticsInbox } from './diagnostics-inbox';
import { connectInMemory } from './in-memory-connection';

/** What VS Code announces for the features the tests use. */
export const VSCODE_LIKE_CAPABILITIES: ClientCapabilities = {
  textDocument: {
    completion: { completionItem: { snippetSupport: true } },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    rename: { prepareSupport: true },
  },
};

/**
 * The language server and a client talking LSP over in-memory streams in this process
 * (connectInMemory), with what the tests do through it: open and change documents, and wait
 * for their diagnostics.
 */
export class InProcessServer {
  readonly client: ProtocolConnection;
  initializeResult: InitializeResult | undefined;
  private readonly inbox = new DiagnosticsInbox();
  private readonly connection = connectInMemory({ debounceMs: 10 });
  private version = 0;

  constructor() {
    this.client = this.connection.client;
    this.client.onNotification(PublishDiagnosticsNotification.type, (params) =>
      this.inbox.push(params),
    );
    this.client.listen();
  }

  static async start(capabilities = VSCODE_LIKE_CAPABILITIES): Promise<InProcessServer> {
    const server = new InProcessServer();
    server.initializeResult = await server.client.sendRequest(InitializeRequest.type, {
      processId: null,
      rootUri: null,
      capabilities,
    });
    await server.client.sendNotification(InitializedNotification.type, {});
    return server;
  }

  /** Opens (or replaces) a document and resolves with its first published diagnostics. */
  async open(uri: string, text: string): Promise<PublishDiagnosticsParams> {
    const published = this.nextDiagnostics(uri);
    await this.client.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'backup-yaml', version: ++this.version, text },
    });
    return published;
  }

  /** Replaces the whole text of an open document and resolves with the new diagnostics. */
  async change(uri: string, text: string): Promise<PublishDiagnosticsParams> {
    const published = this.nextDiagnostics(uri);
    await this.client.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: ++this.version },
      contentChanges: [{ text }],
    });
    return published;
  }

  nextDiagnostics(uri: string): Promise<PublishDiagnosticsParams> {
    return this.inbox.next(uri);
  }

  stop(): Promise<void> {
    return this.connection.close();
  }
}
