import { PassThrough } from 'node:stream';
import type { ClientCapabilities, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import type { InitializeResult, ProtocolConnection } from 'vscode-languageserver-protocol/node';
import {
  createConnection,
  StreamMessageReader as ServerReader,
  StreamMessageWriter as ServerWriter,
} from 'vscode-languageserver/node';
import { startServer } from '../../../server/src/server';
import { DiagnosticsInbox } from './diagnostics-inbox';

/** What VS Code announces for the features the tests use. */
export const VSCODE_LIKE_CAPABILITIES: ClientCapabilities = {
  textDocument: {
    completion: { completionItem: { snippetSupport: true } },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    rename: { prepareSupport: true },
  },
};

/**
 * The language server and a client talking LSP over in-memory streams, in this process: the
 * whole protocol path (JSON-RPC framing, capabilities, handlers) without spawning anything.
 * The server gets message readers rather than raw streams, so closing them never exits the
 * test process.
 */
export class InProcessServer {
  readonly client: ProtocolConnection;
  initializeResult: InitializeResult | undefined;
  private readonly inbox = new DiagnosticsInbox();
  private readonly streams = [new PassThrough(), new PassThrough()] as const;
  private version = 0;

  constructor() {
    const [toServer, toClient] = this.streams;
    const server = createConnection(new ServerReader(toServer), new ServerWriter(toClient));
    startServer(server, { debounceMs: 10 });
    this.client = createProtocolConnection(
      new StreamMessageReader(toClient),
      new StreamMessageWriter(toServer),
    );
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

  async stop(): Promise<void> {
    await this.client.sendRequest(ShutdownRequest.type);
    this.client.dispose();
    for (const stream of this.streams) stream.destroy();
  }
}
