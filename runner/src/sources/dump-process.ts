import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { runChild } from '../process/start-child';

export interface DumpProcessOptions {
  /** The program and its arguments (no secret in them). */
  argv: [string, ...string[]];
  /** The dump is written here by the child itself (its stdout is this file: no copy through Node). */
  outPath: string;
  /** Given to the child on stdin (a secret for a tool inside a container), else stdin is closed. */
  stdinContent?: string;
  /** Added to the child's environment (names of files, never a secret itself). */
  env?: Record<string, string>;
  signal: AbortSignal;
  onStderrLine: (line: string) => void;
  onBytes: (bytes: number) => void;
}

export interface DumpProcessResult {
  exitCode?: number;
  signal?: string;
  cancelled: boolean;
  /** ENOENT and the like: the program could not be started. */
  spawnError?: string;
  /** The last lines of stderr, for an error message. */
  stderrTail: string[];
}

const progressIntervalMs = 250;
const stderrKeep = 50;

/** Runs one dump process into a new file (mode 0600), reporting stderr lines and bytes written. */
export async function runDumpProcess(options: DumpProcessOptions): Promise<DumpProcessResult> {
  const { argv, outPath, stdinContent, env, signal, onStderrLine, onBytes } = options;
  const out = await open(outPath, 'wx', 0o600);
  const stderrTail: string[] = [];
  let lastSize = 0;
  const poll = setInterval(() => void reportSize(out), progressIntervalMs);
  async function reportSize(file: FileHandle) {
    const { size } = await file.stat().catch(() => ({ size: lastSize }));
    if (size !== lastSize) onBytes((lastSize = size));
  }
  try {
    const [program, ...args] = argv;
    let partial = '';
    const keep = (line: string) => {
      stderrTail.push(line);
      if (stderrTail.length > stderrKeep) stderrTail.shift();
      onStderrLine(line);
    };
    const result = await runChild(program, args, {
      stdin: stdinContent === undefined ? 'ignore' : { text: stdinContent },
      stdout: { fd: out.fd },
      ...(env === undefined ? {} : { env }),
      signal,
      onStderr: (chunk) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) keep(line);
      },
    });
    if (partial !== '') keep(partial);
    await reportSize(out);
    return {
      ...(result.exitCode === undefined ? {} : { exitCode: result.exitCode }),
      ...(result.signal === undefined ? {} : { signal: result.signal }),
      cancelled: result.cancelled,
      ...(result.spawnError === undefined ? {} : { spawnError: result.spawnError }),
      stderrTail,
    };
  } finally {
    clearInterval(poll);
    await out.close();
  }
}
