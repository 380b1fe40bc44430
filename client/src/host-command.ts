import type { Readable } from 'node:stream';
import type { Outcome } from './errors';
import { failWith, succeed } from './errors';
import { classifySshFailure } from './ssh-errors';
import type { Transport } from './transport';

export interface HostCommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * One command line on the host, to its end: for the probe and the upload, which run before a
 * session exists. `input` is streamed to its stdin; an ssh failure becomes its coded error.
 */
export async function runOnHost(
  transport: Transport,
  commandLine: string,
  input?: Readable,
  sshPath?: string,
): Promise<Outcome<HostCommandResult>> {
  const child = transport.start(commandLine);
  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  if (input) input.pipe(child.stdin);
  else child.stdin.end();
  const { exitCode, spawnError } = await child.exited;
  const [out, err] = await Promise.all([stdout, stderr]);
  const sshError = classifySshFailure(transport.label, err, exitCode, spawnError, sshPath);
  if (sshError) return { ok: false, error: sshError };
  if (exitCode === undefined)
    return failWith('connection-lost', `the command on ${transport.label} was stopped`, {
      host: transport.label,
    });
  return succeed({ exitCode, stdout: out, stderr: err });
}

function collect(stream: Readable): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
