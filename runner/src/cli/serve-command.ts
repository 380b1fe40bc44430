import { createInterface } from 'node:readline';
import { execa } from 'execa';
import type { ResultPromise } from 'execa';
import { decodeRecord, decodeServe, encodeServe } from '../protocol';
import type { ServeMessage, ServeRequest } from '../protocol';
import type { Command } from './command';
import type { CommandIO } from './io';
import { withdrawnSecrets } from '../secrets';
import { selfCommand } from './self-contained';
import { main } from './main';
import { versionRecord } from './version-command';
import { EXIT } from '../exit-status';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run many commands over one connection: JSON-lines requests on stdin (for the editor)',
  usage: `Usage: backup-runner serve --stdio

Reads one request per line on stdin and answers on stdout, each message tagged with the
request's id (ServeRequest and ServeMessage in runner/src/protocol.ts):
  {"type":"request","id":1,"argv":["status","-c","/etc/backup.yaml","--json"]}
  {"type":"cancel","id":1}
Each request runs as its own backup-runner process with --cancel-on-eof: a cancel, or the end of
serve's stdin (the SSH connection closed), stops it cleanly (lock released, partial run removed).
The VS Code extension keeps one such session per host instead of one SSH connection per command.`,
  options: { stdio: { type: 'boolean' } },
  positionals: false,
  async run(values, _positionals, io) {
    if (values['stdio'] !== true) {
      io.err('backup-runner serve: give --stdio (the only transport)');
      return 2;
    }
    await serveStdio(io);
    return 0;
  },
};

type Child = ResultPromise<{
  stdin: 'pipe';
  stdout: 'pipe';
  stderr: 'pipe';
  buffer: false;
  reject: false;
}>;

/** Serves requests until stdin ends, then waits for the running ones to stop. */
async function serveStdio(io: CommandIO): Promise<void> {
  const send = (message: ServeMessage) => io.out(encodeServe(message));
  send({ type: 'serve-ready', version: await versionRecord() });
  const running = new Map<number, { child: Child; done: Promise<void> }>();
  const inProcess = new Map<number, { cancel: AbortController; done: Promise<void> }>();
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const request = decodeServe<ServeRequest>(line);
    if (!request || typeof request.id !== 'number') {
      send({
        type: 'serve-error',
        error: { code: 'serve-bad-request', message: `not a request: ${line.slice(0, 200)}` },
      });
      continue;
    }
    if (request.type === 'cancel') {
      cancel(running.get(request.id)?.child);
      inProcess.get(request.id)?.cancel.abort();
      continue;
    }
    const inUse = running.has(request.id) || inProcess.has(request.id);
    if (request.type !== 'request' || !Array.isArray(request.argv) || inUse) {
      send({
        type: 'serve-error',
        id: request.id,
        error: {
          code: 'serve-bad-request',
          message: `request ${request.id} is malformed or its id is in use`,
        },
      });
      continue;
    }
    if (IN_PROCESS.has(request.argv[0] ?? '') && request.input === undefined) {
      const { id } = request;
      const controller = new AbortController();
      const done = runInProcess(id, request.argv, controller.signal, send).finally(() =>
        inProcess.delete(id),
      );
      inProcess.set(id, { cancel: controller, done });
      continue;
    }
    const child = start(request);
    const done = relay(request.id, child, send).finally(() => running.delete(request.id));
    running.set(request.id, { child, done });
  }
  // The connection is gone: every command still running is cancelled, and we wait for each to
  // finish its cleanup before exiting.
  for (const { child } of running.values()) cancel(child);
  for (const { cancel: controller } of inProcess.values()) controller.abort();
  await Promise.all([...running.values(), ...inProcess.values()].map(({ done }) => done));
}

/**
 * Short read-only commands run inside serve itself: a status poll, a validation or a folder of
 * the snapshot tree then costs no process start on the host (a Node start is most of such a
 * command's time, and all of a cached listing's). They read no stdin and install no signal
 * handlers: each gets its request's own cancel as `io.signal`, so nothing of theirs is
 * process-wide.
 */
const IN_PROCESS = new Set([
  'version',
  'status',
  'validate',
  'plan',
  'read-spec',
  'snapshots',
  'ls',
  'cat',
]);

async function runInProcess(
  id: number,
  argv: string[],
  signal: AbortSignal,
  send: (message: ServeMessage) => void,
): Promise<void> {
  const line = (stream: 'stdout' | 'stderr') => (text: string) => {
    for (const part of text.split('\n')) {
      const record = stream === 'stdout' ? decodeRecord(part) : undefined;
      send(
        record
          ? { type: 'serve-record', id, record }
          : { type: 'serve-text', id, stream, line: part },
      );
    }
  };
  let exitCode: number;
  try {
    exitCode = await main(argv, { out: line('stdout'), err: line('stderr'), signal });
  } catch (error) {
    // A bug in a command must not end the session of every other request.
    line('stderr')(
      `backup-runner: internal error: ${error instanceof Error ? error.stack : String(error)}`,
    );
    exitCode = EXIT.internal;
  }
  send({ type: 'serve-exit', id, exitCode });
}

function start(request: Extract<ServeRequest, { type: 'request' }>): Child {
  const self = selfCommand();
  // A command that reads its input from stdin cannot also be cancelled by stdin's end; those
  // (write-spec) are short, and a cancel sends them SIGTERM instead.
  const argv = request.input === undefined ? [...request.argv, '--cancel-on-eof'] : request.argv;
  const child = execa(self.file, [...self.args, ...argv], {
    // The secrets an in-process command took out of serve's environment, as the child's own
    // start would have found them.
    env: withdrawnSecrets(),
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
  });
  if (request.input !== undefined) child.stdin.end(request.input);
  return child;
}

function cancel(child: Child | undefined): void {
  if (!child) return;
  if (child.stdin.writableEnded) child.kill('SIGTERM');
  else child.stdin.end();
}

async function relay(
  id: number,
  child: Child,
  send: (message: ServeMessage) => void,
): Promise<void> {
  // A child that exits at once must not make an EPIPE on its stdin crash the server.
  child.stdin.on('error', () => undefined);
  const stdout = createInterface({ input: child.stdout, crlfDelay: Infinity });
  const stderr = createInterface({ input: child.stderr, crlfDelay: Infinity });
  stdout.on('line', (line) => {
    const record = decodeRecord(line);
    send(
      record
        ? { type: 'serve-record', id, record }
        : { type: 'serve-text', id, stream: 'stdout', line },
    );
  });
  stderr.on('line', (line) => send({ type: 'serve-text', id, stream: 'stderr', line }));
  const [result] = await Promise.all([
    child,
    new Promise((resolve) => stdout.once('close', resolve)),
    new Promise((resolve) => stderr.once('close', resolve)),
  ]);
  const exitCode = result.exitCode ?? (result.signal ? 128 + signalNumber(result.signal) : 1);
  send({ type: 'serve-exit', id, exitCode });
}

function signalNumber(signal: string): number {
  return { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }[signal] ?? 0;
}
