import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { execa } from 'execa';
import type { ResultPromise } from 'execa';

/** Whether a process with this PID exists (a reaped child no longer does). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * Stops a child by its PID: SIGTERM, then SIGKILL when it has not exited after `graceMs`.
 * Resolves once Node has reaped it, so its PID is gone when this returns.
 */
export async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  const { pid } = child;
  if (pid === undefined || hasExited(child)) return;
  const exited = once(child, 'exit');
  signal(pid, 'SIGTERM');
  const escalation = setTimeout(() => signal(pid, 'SIGKILL'), graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(escalation);
  }
}

/** Kills a child at once (SIGKILL) and waits until it is reaped: a crash, for tests that need one. */
export async function killProcess(child: ChildProcess): Promise<void> {
  const { pid } = child;
  if (pid === undefined || hasExited(child)) return;
  const exited = once(child, 'exit');
  signal(pid, 'SIGKILL');
  await exited;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone between the check and the signal.
  }
}

export interface ServerProcess {
  child: ResultPromise;
  pid: number;
  /** Why the server is no longer running, or undefined while it runs. */
  exitReason(): string | undefined;
}

/**
 * Starts a long-running server. Its stderr goes to `logFile` (shown when start-up fails); it is
 * killed if the test process exits without stopping it (execa's cleanup).
 */
export function spawnServer(file: string, args: string[], logFile: string): ServerProcess {
  const child = execa(file, args, {
    stdin: 'ignore',
    stdout: 'ignore',
    stderr: { file: logFile },
    reject: false,
    cleanup: true,
  });
  if (child.pid === undefined) throw new Error(`${file} could not be started`);
  return {
    child,
    pid: child.pid,
    exitReason: () =>
      hasExited(child)
        ? `${file} exited (${child.exitCode ?? child.signalCode}); see ${logFile}`
        : undefined,
  };
}

/** The end of a log file, for an error message. */
export async function logTail(path: string, lines = 20): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
