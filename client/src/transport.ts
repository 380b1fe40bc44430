import type { Readable, Writable } from 'node:stream';

/** A command started on a host: its streams and how it ended. */
export interface HostProcess {
  stdin: Writable;
  stdout: Readable;
  stderr: Readable;
  /** Resolves when it has exited (never rejects): exit code, or undefined when killed or unstartable. */
  exited: Promise<{ exitCode: number | undefined; spawnError?: NodeJS.ErrnoException }>;
  /** Stops the local end at once (the ssh client, or the local process). */
  kill(): void;
}

/**
 * How the extension reaches a host: one interface, two implementations — a local process for
 * "this host" (also inside a Remote-SSH window, where the extension runs on the remote) and the
 * system OpenSSH client for hosts in `backupYaml.hosts`.
 */
export interface Transport {
  /** The host as a person names it: `torrust-prod`, `this host`. */
  readonly label: string;
  /** Runs a POSIX shell command line on the host, with stdin as a pipe. */
  start(commandLine: string): HostProcess;
}
