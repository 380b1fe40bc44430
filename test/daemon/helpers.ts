import { access, readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import type { DaemonStatus } from '../../runner/src/daemon/daemon-status';
import { startCli } from '../support/runner-cli';

/** A daemon started as a child process, with its stdout collected line by line. */
export interface DaemonProcess {
  child: ReturnType<typeof startCli>;
  lines: string[];
  /** Resolves with the first line that matches, rejects when the daemon exits first. */
  line(pattern: RegExp): Promise<string>;
}

const started: DaemonProcess['child'][] = [];

export function startDaemon(args: string[]): DaemonProcess {
  const child = startCli(['daemon', ...args]);
  started.push(child);
  const lines: string[] = [];
  const waiting: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const complete = buffered.split('\n');
    buffered = complete.pop() ?? '';
    for (const line of complete) {
      lines.push(line);
      for (const wait of waiting.filter((w) => w.pattern.test(line))) {
        waiting.splice(waiting.indexOf(wait), 1);
        wait.resolve(line);
      }
    }
  });
  const exited = child.then((result) => result);
  return {
    child,
    lines,
    line: (pattern) => {
      const seen = lines.find((l) => pattern.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return Promise.race([
        new Promise<string>((resolve) => waiting.push({ pattern, resolve })),
        exited.then((result) => {
          throw new Error(
            `the daemon exited (${result.exitCode}) before printing ${pattern}:\n${lines.join('\n')}\n${String(result.stderr)}`,
          );
        }),
      ]);
    },
  };
}

/** Kills (SIGKILL) every daemon a test started that is still running, and waits for it to end. */
export async function stopDaemons(): Promise<void> {
  for (const child of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await child;
  }
}

export async function readDaemonStatus(path: string): Promise<DaemonStatus | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as DaemonStatus;
  } catch {
    return undefined;
  }
}

/**
 * Polls the status file until `accept` holds. The bound only keeps a broken daemon from hanging
 * the suite: it is far above what the condition needs, and no assertion is about time.
 */
export async function waitForStatus(
  path: string,
  accept: (status: DaemonStatus) => boolean,
  what: string,
  boundMs = 120_000,
): Promise<DaemonStatus> {
  const until = Date.now() + boundMs;
  let last: DaemonStatus | undefined;
  while (Date.now() < until) {
    last = await readDaemonStatus(path);
    if (last && accept(last)) return last;
    await delay(100);
  }
  throw new Error(`the daemon status never showed ${what}; last: ${JSON.stringify(last, null, 2)}`);
}

/** Waits for a file to exist; the bound is the same guard against a broken daemon as above. */
export async function waitForFile(path: string, what: string, boundMs = 120_000): Promise<void> {
  const until = Date.now() + boundMs;
  while (Date.now() < until) {
    if (
      await access(path).then(
        () => true,
        () => false,
      )
    )
      return;
    await delay(100);
  }
  throw new Error(`never saw ${what} (${path})`);
}
