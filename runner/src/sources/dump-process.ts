import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import type { RunnerErrorCode } from '../error-codes';
import { runChild } from '../process/start-child';
import type { Result } from '../result';
import { fail, toolSaid } from '../result';

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

/** A failed dump's code, message and hint, as a source type's stderr reading gives it. */
export interface DumpFailure {
  code: RunnerErrorCode;
  message: string;
  hint?: string;
}

/** Who ran the dump, for a failure's message and subject. */
export interface DumpTool {
  /** The source's name in the spec. */
  source: string;
  /** `mysql`, `postgres`: how messages name the source. */
  type: string;
  /** The program, as messages name it. */
  program: string;
  /** The code of a program that could not be started. */
  missingCode: RunnerErrorCode;
}

/**
 * The error of a dump process that did not end well (not started, a non-zero exit or a signal,
 * or an error on stderr), or undefined when it did: `diagnose` reads the type's own messages.
 */
export function dumpProcessFailure(
  outcome: DumpProcessResult,
  errors: string[],
  tool: DumpTool,
  diagnose: (errors: string[], exit: string) => DumpFailure,
): Result<never> | undefined {
  const { source, type, program, missingCode } = tool;
  if (outcome.spawnError !== undefined)
    return fail(missingCode, `${type} source "${source}": cannot run ${program}`, {
      subject: source,
      hint: outcome.spawnError,
    });
  if (outcome.exitCode === 0 && errors.length === 0) return undefined;
  const exit =
    outcome.signal === undefined
      ? `exit status ${outcome.exitCode}`
      : `killed by ${outcome.signal}`;
  const failure = diagnose(errors, exit);
  return fail(failure.code, `${type} source "${source}": ${failure.message}`, {
    subject: source,
    ...(failure.hint === undefined ? {} : { hint: failure.hint }),
    ...toolSaid(errors.join('\n')),
  });
}
