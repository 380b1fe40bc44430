import { createInterface } from 'node:readline';
import { execa } from 'execa';
import type { ServeMessage, ServeRequest } from '../../runner/src/protocol';
import { decodeServe, encodeServe } from '../../runner/src/protocol';
import { runnerBin } from './paths';

/** `backup-runner serve --stdio` with its messages collected, for tests of the serve protocol. */
export function startServe(env: Record<string, string> = {}) {
  const child = execa('node', [runnerBin, 'serve', '--stdio'], {
    reject: false,
    stdin: 'pipe',
    env,
  });
  const messages: ServeMessage[] = [];
  const waiters: { accept: (m: ServeMessage) => boolean; resolve: () => void }[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = decodeServe<ServeMessage>(line);
    if (!message) return;
    messages.push(message);
    for (const waiter of waiters.filter((w) => w.accept(message))) waiter.resolve();
  });
  const until = (accept: (m: ServeMessage) => boolean) =>
    messages.some(accept)
      ? Promise.resolve()
      : new Promise<void>((resolve) => waiters.push({ accept, resolve }));
  const send = (request: ServeRequest) => child.stdin.write(`${encodeServe(request)}\n`);
  return { child, messages, until, send };
}
