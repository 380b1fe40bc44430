import type { Server, Socket } from 'node:net';
import { createServer } from 'node:net';
import { LOOPBACK } from './servers/ports';

export interface BlackHole {
  port: number;
  /** Connections it accepted (and never answered). */
  accepted(): number;
  /** Connections still open: the client side has not given up (or was not stopped). */
  open(): number;
  close(): Promise<void>;
}

/**
 * A TCP port on 127.0.0.1 that accepts every connection and never says a word: what a hung
 * repository host (a stuck NAS, a firewall that drops after the handshake) looks like to
 * ssh and to an HTTP client.
 */
export async function startBlackHole(): Promise<BlackHole> {
  const sockets = new Set<Socket>();
  let count = 0;
  const server: Server = createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    // Read (and drop) what the client says, so its going away is noticed.
    socket.resume();
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    accepted: () => count,
    open: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
