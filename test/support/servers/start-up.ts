import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitUntil } from './ports';
import { logTail, stopProcess } from './process';
import type { ServerProcess } from './process';

/**
 * Gives `start` a new temp directory named `<prefix>XXXXXX` for the server's data, config and
 * logs, and removes it when the start fails (the server's stop() removes it otherwise).
 */
export async function inServerDir<T>(
  prefix: string,
  start: (dir: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    return await start(dir);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Runs `launch` (which picks a port with freePort() and starts the server on it) until it works.
 * Another process may take the port between freePort() and the bind; the server's log then says
 * "address already in use", and a new attempt picks another port. Any other failure, or a third
 * clash, throws with the end of the log, which is what explains a server that would not start.
 */
export async function launchWithPortRetry<T>(
  launch: () => Promise<T>,
  logFile: string,
  logLines?: number,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch();
    } catch (error) {
      const log = await logTail(logFile, logLines);
      if (attempt < 3 && /address already in use/i.test(log)) continue;
      throw new Error(`${(error as Error).message}\n${log}`);
    }
  }
}

/**
 * Waits until a freshly spawned server is `ready`; gives up at once when it exits. A server that
 * never got ready is stopped before the error is thrown, so a failed start leaves no process.
 */
export async function waitUntilServing(
  server: ServerProcess,
  ready: () => Promise<boolean>,
  what: string,
): Promise<void> {
  try {
    await waitUntil(ready, { what, giveUpIf: server.exitReason });
  } catch (error) {
    await stopProcess(server.child);
    throw error;
  }
}
