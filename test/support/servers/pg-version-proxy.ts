import type { AddressInfo, Socket } from 'node:net';
import { connect, createServer } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a real PostgreSQL that changes one thing: the
 * `server_version` the server reports at startup (a ParameterStatus message). pg_dump takes the
 * server's version from it, so the real pg_dump meets what looks like a newer server — the one
 * machine has a single PostgreSQL major, and pg_dump refuses a server newer than itself.
 * Everything else (authentication, the dump) is the real server's.
 */
export interface VersionProxy {
  port: number;
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

export async function startVersionProxy(
  upstreamPort: number,
  reportedVersion: string,
): Promise<VersionProxy> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(upstreamPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    // Each SSL or GSS encryption request the client sends is answered with one bare byte.
    let bareAnswers = 0;
    client.on(
      'data',
      clientStartup((count) => (bareAnswers += count), upstream),
    );
    let pending = Buffer.alloc(0);
    upstream.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length > 0) {
        if (bareAnswers > 0) {
          client.write(pending.subarray(0, 1));
          pending = pending.subarray(1);
          bareAnswers--;
          continue;
        }
        if (pending.length < 5) return;
        const length = pending.readInt32BE(1);
        if (pending.length < 1 + length) return;
        client.write(rewriteVersion(pending.subarray(0, 1 + length), reportedVersion));
        pending = pending.subarray(1 + length);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Passes the client's bytes on, counting its encryption requests until the startup message
 * (messages before it have no type byte: a length, then a code).
 */
function clientStartup(countBare: (count: number) => void, upstream: Socket) {
  let started = false;
  let pending = Buffer.alloc(0);
  return (chunk: Buffer) => {
    if (started) {
      upstream.write(chunk);
      return;
    }
    pending = Buffer.concat([pending, chunk]);
    while (!started && pending.length >= 8) {
      const length = pending.readInt32BE(0);
      if (pending.length < length) break;
      const code = pending.readInt32BE(4);
      if (code === SSL_REQUEST || code === GSSENC_REQUEST) countBare(1);
      else started = true;
      upstream.write(pending.subarray(0, length));
      pending = pending.subarray(length);
    }
    if (started && pending.length > 0) upstream.write(pending);
    if (started) pending = Buffer.alloc(0);
  };
}

/** A ParameterStatus `server_version` with another value; any other message as it is. */
function rewriteVersion(message: Buffer, version: string): Buffer {
  const name = 'server_version\0';
  if (message[0] !== 0x53 || !message.subarray(5).toString('latin1').startsWith(name))
    return message;
  const body = Buffer.from(`${name}${version}\0`, 'latin1');
  const header = Buffer.alloc(5);
  header[0] = 0x53;
  header.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([header, body]);
}
