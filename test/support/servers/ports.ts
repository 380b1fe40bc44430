import { connect, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Every test server listens here only: nothing started by a test is reachable from outside. */
export const LOOPBACK = '127.0.0.1';

/**
 * A TCP port that was free a moment ago on the loopback interface. Another process may take it
 * before the server binds it, so the starters retry with a new port when the bind fails
 * (launchWithPortRetry).
 */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('the OS gave no port'));
      });
    });
  });
}

/** Whether something accepts TCP connections on host:port right now. */
export function isPortOpen(port: number, host: string = LOOPBACK): Promise<boolean> {
  return new Promise((resolveOpen) => {
    const socket = connect({ port, host });
    const done = (open: boolean) => {
      socket.destroy();
      resolveOpen(open);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface WaitOptions {
  /** What is awaited, for the error message. */
  what: string;
  /** A deadline for start-up, generous because 2 shared cores can be slow; not a test assertion. */
  timeoutMs?: number;
  intervalMs?: number;
  /** Returns a reason to give up at once (e.g. the server process exited). */
  giveUpIf?: () => string | undefined;
}

/** Polls `check` until it is true; throws when `giveUpIf` has a reason or the deadline passes. */
export async function waitUntil(
  check: () => Promise<boolean>,
  options: WaitOptions,
): Promise<void> {
  const { what, timeoutMs = 60_000, intervalMs = 50, giveUpIf } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = giveUpIf?.();
    if (reason !== undefined) throw new Error(`${what}: ${reason}`);
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}
