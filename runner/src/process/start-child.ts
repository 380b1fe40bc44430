import { createWriteStream } from 'node:fs';
import type { Options, ResultPromise } from 'execa';
import { execa } from 'execa';
import { childEnvironment } from './child-environment';
import { OutputCapture } from './output-capture';
import { signalGroup } from './process-group';

export interface ChildOptions {
  /** Aborting it stops the child's whole process group. */
  signal?: AbortSignal;
  /** What a cancel or timeout sends the group first (restic: SIGINT, so it removes its lock). */
  stopSignal?: NodeJS.Signals;
  /** After the stop signal, SIGKILL follows this much later. */
  forceKillAfterMs?: number;
  /** The whole run of the child, after which its group is stopped and `timedOut` set. */
  timeoutMs?: number;
  /** Added to the environment (which never holds a spec's secret variables). */
  env?: Record<string, string>;
  cwd?: string;
  stdin?: 'ignore' | 'pipe' | { text: string } | { file: string };
  /**
   * stdout: kept (up to maxStdout characters) in the result, handed to `onStdout`, or a stream
   * the caller reads itself through `onSpawn` ('stream'), or a file descriptor of its own.
   */
  stdout?: 'capture' | 'stream' | 'ignore' | { fd: number };
  maxStdout?: number;
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  /** stdout and stderr interleaved, handed to onStdout (hooks: what a person would see). */
  interleave?: boolean;
  onStart?: (pid: number) => void;
  /** The started child, for callers that pipe into its stdin or read its stdout themselves. */
  onSpawn?: (child: ResultPromise) => void;
}

export interface ChildResult {
  exitCode?: number;
  signal?: string;
  cancelled: boolean;
  timedOut: boolean;
  /** The child could not be started: ENOENT, EACCES, ... */
  spawnError?: string;
  stdout: string;
  /** The last STDERR_KEPT characters of stderr (with a note of what was cut). */
  stderr: string;
  /** Characters of output left out of `stdout` / `stderr`. */
  stdoutCut: number;
  stderrCut: number;
}

const STDERR_KEPT = 64 * 1024;

/** Told of every child started while it is set: a run records them in its lock. */
let childObserver: ((pid: number) => void) | undefined;

/**
 * Makes `observer` hear of every child the runner starts until it is unset (a run records them
 * in its lock file, so a later run can stop them if this one is killed with -9).
 */
export function observeChildren(observer: ((pid: number) => void) | undefined): void {
  childObserver = observer;
}
/** How long the output of a child that exited may still come before its pipes are let go. */
const PIPE_GRACE_MS = 500;

/**
 * The one way the runner starts a program: argv without a shell, an environment without secret
 * variables, its own process group (so a cancel or timeout stops everything the program
 * started), bounded output, and no waiting on a pipe that an escaped descendant (a daemon a
 * hook started, a double fork) still holds once the program itself has exited.
 */
export async function runChild(
  program: string,
  args: readonly string[],
  options: ChildOptions = {},
): Promise<ChildResult> {
  const stdoutMode = options.stdout ?? 'capture';
  const input = options.stdin ?? 'ignore';
  const execaOptions: Options = {
    env: childEnvironment(options.env),
    extendEnv: false,
    detached: true,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    stdin: typeof input === 'string' ? input : 'text' in input ? 'pipe' : { file: input.file },
    // A stream around the caller's descriptor: execa hands its fd to the child as it is.
    stdout:
      typeof stdoutMode === 'object'
        ? createWriteStream('', { fd: stdoutMode.fd, autoClose: false })
        : stdoutMode === 'ignore'
          ? 'ignore'
          : 'pipe',
    stderr: 'pipe',
    all: options.interleave === true,
    buffer: false,
    reject: false,
    forceKillAfterDelay: false,
  };
  const child = execa(program, args, execaOptions);
  const pid = child.pid;
  if (typeof input === 'object' && 'text' in input) child.stdin?.end(input.text);
  if (pid !== undefined) {
    options.onStart?.(pid);
    childObserver?.(pid);
  }
  options.onSpawn?.(child);

  const stdout = new OutputCapture(options.maxStdout);
  const stderr = new OutputCapture(STDERR_KEPT);
  if (options.interleave) {
    child.all?.setEncoding('utf8');
    child.all?.on('data', (chunk: string) => options.onStdout?.(chunk));
  } else if (stdoutMode === 'capture') {
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      stdout.add(chunk);
      options.onStdout?.(chunk);
    });
  }
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr.add(chunk);
    if (!options.interleave) options.onStderr?.(chunk);
  });

  const stop = groupStopper(pid, options);
  const onAbort = () => stop.stop('cancelled');
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort);
  const timer =
    options.timeoutMs !== undefined
      ? setTimeout(() => stop.stop('timedOut'), options.timeoutMs)
      : undefined;
  // A descendant that left the group (setsid, a daemon) may hold our pipes for hours: once the
  // program has exited, its output is read until a quiet moment, then the pipes are let go.
  // (A stdout the caller reads itself is the caller's to end.)
  const owned = [child.stderr, child.all, stdoutMode === 'capture' ? child.stdout : undefined];
  child.on('exit', () => releaseWhenQuiet(owned));
  try {
    const result = await child;
    return {
      ...(result.exitCode === undefined ? {} : { exitCode: result.exitCode }),
      ...(result.signal === undefined ? {} : { signal: result.signal }),
      cancelled: stop.reason === 'cancelled',
      timedOut: stop.reason === 'timedOut',
      ...(pid === undefined ? { spawnError: spawnErrorOf(result) } : {}),
      stdout: stdout.text(),
      stderr: stderr.text(),
      stdoutCut: stdout.cut,
      stderrCut: stderr.cut,
    };
  } finally {
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    stop.dispose();
  }
}

/**
 * Destroys the streams once no data came for PIPE_GRACE_MS after the program exited. The check
 * runs in setImmediate, after the event loop's poll phase has read whatever was waiting, so
 * output that was there all along is never cut, however late the timer fires on a busy machine.
 */
function releaseWhenQuiet(streams: (NodeJS.ReadableStream | null | undefined)[]): void {
  const live = streams.filter((s): s is NodeJS.ReadableStream & { destroy(): void } => !!s);
  let activity = 0;
  for (const stream of live) stream.on('data', () => activity++);
  const check = (seen: number) => {
    setTimeout(() => {
      setImmediate(() => {
        if (activity !== seen) return check(activity);
        for (const stream of live) stream.destroy();
      });
    }, PIPE_GRACE_MS).unref();
  };
  check(activity);
}

/** Stops the group once: the stop signal, then SIGKILL if anything of it is still there. */
function groupStopper(pid: number | undefined, options: ChildOptions) {
  let reason: 'cancelled' | 'timedOut' | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  return {
    get reason() {
      return reason;
    },
    stop(why: 'cancelled' | 'timedOut') {
      if (reason !== undefined || pid === undefined) return;
      reason = why;
      signalGroup(pid, options.stopSignal ?? 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), options.forceKillAfterMs ?? 5_000);
      killTimer.unref();
    },
    dispose() {
      // The group may outlive its leader (a child that ignores SIGTERM): finish the job.
      if (reason !== undefined && pid !== undefined && killTimer) {
        clearTimeout(killTimer);
        if (signalGroup(pid, 0)) setTimeout(() => signalGroup(pid, 'SIGKILL'), 0).unref();
      }
    },
  };
}

function spawnErrorOf(result: { code?: string; shortMessage?: string; cause?: unknown }): string {
  const cause = result.cause as NodeJS.ErrnoException | undefined;
  return cause?.code ?? result.code ?? result.shortMessage ?? 'the program could not be started';
}
