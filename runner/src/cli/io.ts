/** Where a command writes; the real streams in the CLI, buffers in tests. */
export interface CommandIO {
  out(line: string): void;
  err(line: string): void;
  /** Raw bytes on stdout (`cat` without --json); absent where stdout carries only lines. */
  bytes?(chunk: Uint8Array): void;
  /**
   * The command's own cancel when it runs inside `serve` (a request's cancel); without it a
   * command listens for the process's signals, which inside serve belong to every request.
   */
  signal?: AbortSignal;
}

let stdoutClosed = false;
let stderrClosed = false;
// A reader that went away (`| head`, a dropped SSH session) must not crash a run half-way:
// the run finishes cleanly and its outcome is in the status file and the exit code.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') stdoutClosed = true;
  else throw error;
});
process.stderr.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') stderrClosed = true;
  else throw error;
});

export const processIO: CommandIO = {
  out: (line) => {
    if (!stdoutClosed) process.stdout.write(`${line}\n`);
  },
  err: (line) => {
    if (!stderrClosed) process.stderr.write(`${line}\n`);
  },
  bytes: (chunk) => {
    if (!stdoutClosed) process.stdout.write(chunk);
  },
};
