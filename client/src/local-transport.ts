import { execa } from 'execa';
import type { HostProcess, Transport } from './transport';

/** "This host": the machine the extension host runs on (the remote one in a Remote-SSH window). */
export class LocalTransport implements Transport {
  readonly label = 'this host';

  start(commandLine: string): HostProcess {
    return startProcess('/bin/sh', ['-c', commandLine]);
  }
}

/** Starts a process with piped streams; shared by both transports. */
export function startProcess(file: string, args: string[]): HostProcess {
  const child = execa(file, args, {
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
    // A host session outlives nothing: when the extension host goes, so do its ssh clients.
    cleanup: true,
  });
  // Writing to a process that already exited must not take the extension host down.
  child.stdin.on('error', () => undefined);
  const exited = child.then(
    (result) => ({
      exitCode: typeof result.exitCode === 'number' ? result.exitCode : undefined,
      ...(result.cause && (result.cause as NodeJS.ErrnoException).code === 'ENOENT'
        ? { spawnError: result.cause as NodeJS.ErrnoException }
        : {}),
    }),
    (error: unknown) => ({ exitCode: undefined, spawnError: error as NodeJS.ErrnoException }),
  );
  return {
    stdin: child.stdin,
    stdout: child.stdout,
    stderr: child.stderr,
    exited,
    kill: () => {
      child.kill('SIGTERM');
    },
  };
}
