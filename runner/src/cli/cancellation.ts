const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** What stopped a command: a signal, or the end of stdin under --cancel-on-eof. */
export type CancelReason = NodeJS.Signals | 'stdin-eof';

let cancelOnStdinEof = false;

/**
 * `--cancel-on-eof`: the end of stdin cancels the command as SIGTERM would. A command started
 * over SSH without a pty gets no signal when its client goes away or wants it stopped, but its
 * stdin ends when the connection closes, and the client can close it on purpose.
 */
export function cancelWhenStdinEnds(): void {
  cancelOnStdinEof = true;
}

/**
 * Runs `body` with a signal that SIGINT, SIGTERM and SIGHUP (the session that started us is gone)
 * abort, and with --cancel-on-eof the end of stdin too. The handlers stay installed until `body`
 * ends, also after the first signal: execa's exit hook re-raises a signal nobody else listens
 * to, which would kill the command mid-cleanup.
 */
export async function withCancellation<T>(
  body: (signal: AbortSignal) => Promise<T>,
  onCancel?: (reason: CancelReason) => void,
): Promise<T> {
  const controller = new AbortController();
  const cancel = (reason: CancelReason) => {
    if (controller.signal.aborted) return;
    onCancel?.(reason);
    controller.abort();
  };
  for (const name of SIGNALS) process.on(name, cancel);
  const stopWatchingStdin = cancelOnStdinEof ? watchStdinEnd(() => cancel('stdin-eof')) : noop;
  try {
    return await body(controller.signal);
  } finally {
    for (const name of SIGNALS) process.removeListener(name, cancel);
    stopWatchingStdin();
  }
}

function noop(): void {}

/** Calls `onEnd` once stdin reaches its end, closes or fails; what arrives before is ignored. */
function watchStdinEnd(onEnd: () => void): () => void {
  const stdin = process.stdin;
  const ended = () => onEnd();
  stdin.on('end', ended);
  stdin.on('close', ended);
  stdin.on('error', ended);
  stdin.on('data', noop);
  stdin.resume();
  return () => {
    stdin.removeListener('end', ended);
    stdin.removeListener('close', ended);
    stdin.removeListener('error', ended);
    stdin.removeListener('data', noop);
    // A paused stdin no longer keeps the process alive once the command is done.
    stdin.pause();
  };
}
