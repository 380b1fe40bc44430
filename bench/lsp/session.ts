import type { Position } from 'vscode-languageserver-protocol/node';
import {
  CompletionRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  HoverRequest,
  InitializeRequest,
} from 'vscode-languageserver-protocol/node';
import { connectInMemory } from '../../test/server/support/in-memory-connection';
import type { InMemoryConnection } from '../../test/server/support/in-memory-connection';

const uri = 'file:///bench/backup.yaml';

/**
 * One document open in the language server through the whole LSP path (in-memory streams,
 * JSON-RPC framing), edited as an editor does: a didChange, then requests on that version.
 *
 * The server's debounce is a minute here, not the 200 ms it ships with: the benchmark runs other
 * contenders between two changes, often for more than 200 ms, and the validation of the previous
 * version would then run inside the next measured request. What a request waits for when it
 * does meet a validation in the editor is that validation: the figure of "validation, parse
 * reused".
 */
export class LspSession {
  private documentVersion = 0;

  private constructor(private readonly connection: InMemoryConnection) {}

  static async open(text: string): Promise<LspSession> {
    const connection = connectInMemory({ debounceMs: 60_000 });
    connection.client.listen();
    await connection.client.sendRequest(InitializeRequest.type, {
      processId: null,
      rootUri: null,
      capabilities: {},
    });
    await connection.client.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'backup-yaml', version: 0, text },
    });
    return new LspSession(connection);
  }

  change(text: string): Promise<void> {
    return this.connection.client.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: ++this.documentVersion },
      contentChanges: [{ text }],
    });
  }

  hover(position: Position): Promise<unknown> {
    return this.connection.client.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position,
    });
  }

  completion(position: Position): Promise<unknown> {
    return this.connection.client.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position,
    });
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}
