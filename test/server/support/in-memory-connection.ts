import { PassThrough } from 'node:stream';
import {
  createProtocolConnection,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import type { ProtocolConnection } from 'vscode-languageserver-protocol/node';
import {
  createConnection,
  StreamMessageReader as ServerReader,
  StreamMessageWriter as ServerWriter,
} from 'vscode-languageserver/node';
import { startServer } from '../../../server/src/server';
import type { ServerOptions } from '../../../server/src/server';

export interface InMemoryConnection {
  /** The client's end; call listen() once its handlers are registered. */
  client: ProtocolConnection;
  /** Shuts the server down, then closes the client and both streams. */
  close(): Promise<void>;
}

/**
 * The language server started in this process on a pair of in-memory streams, and a client on
 * the other end: the whole protocol path (JSON-RPC framing, capabilities, handlers) without
 * spawning anything. The server gets message readers rather than raw streams, so closing them
 * never exits the process.
 */
export function connectInMemory(options: ServerOptions): InMemoryConnection {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  startServer(createConnection(new ServerReader(toServer), new ServerWriter(toClient)), options);
  const client = createProtocolConnection(
    new StreamMessageReader(toClient),
    new StreamMessageWriter(toServer),
  );
  return {
    client,
    close: async () => {
      await client.sendRequest(ShutdownRequest.type);
      client.dispose();
      toServer.destroy();
      toClient.destroy();
    },
  };
}
