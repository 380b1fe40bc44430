const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs `body` with a signal that SIGINT, SIGTERM and SIGHUP (the session that started us is gone)
 * abort. The handlers stay installed until `body` ends, also after the first signal: execa's exit
 * hook re-raises a signal nobody else listens to, which would kill the command mid-cleanup.
 */
export async function withCancellation<T>(
  body: (signal: AbortSignal) => Promise<T>,
  onCancel?: (name: NodeJS.Signals) => void,
): Promise<T> {
  const controller = new AbortController();
  const cancel = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) return;
    onCancel?.(name);
    controller.abort();
  };
  for (const name of SIGNALS) process.on(name, cancel);
  try {
    return await body(controller.signal);
  } finally {
    for (const name of SIGNALS) process.removeListener(name, cancel);
  }
}
