import { createInterface } from 'node:readline';
import type {
  RunnerRecord,
  ServeMessage,
  ServeRequest,
  VersionRecord,
} from 'backup-runner/protocol';
import { decodeServe, encodeServe } from 'backup-runner/protocol';
import type { ClientError, Outcome } from './errors';
import { failWith, succeed } from './errors';
import { classifySshFailure } from './ssh-errors';
import type { HostProcess, Transport } from './transport';

export interface RequestOptions {
  /** Given to the command on stdin (write-spec's new spec). Never logged. */
  input?: string;
  onRecord?: (record: RunnerRecord) => void;
  onText?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Aborting sends a cancel: the runner stops cleanly (lock released, partial run removed). */
  signal?: AbortSignal;
}

export interface CommandOutcome {
  exitCode: number;
  records: RunnerRecord[];
  /** What the command said on stderr (its human messages). */
  stderr: string[];
}

interface Pending {
  options: RequestOptions;
  records: RunnerRecord[];
  stderr: string[];
  resolve: (outcome: Outcome<CommandOutcome>) => void;
}

/**
 * One `backup-runner serve --stdio` on a host, over one connection: every command (status, plan,
 * run, the snapshot tree's listings) is a request on it, so none pays an SSH handshake. It closes
 * itself after `idleMs` without a request; when the connection drops, the runs on it are
 * cancelled by the runner itself (serve's stdin ends) and their requests end with
 * `connection-lost`.
 */
export class RunnerSession {
  readonly ready: Promise<Outcome<VersionRecord>>;
  private readonly process: HostProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private closedWith: ClientError | undefined;
  private readonly stderrTail: string[] = [];
  /** Lines before serve-ready that are not messages: what a connect script says first. */
  readonly preamble: string[] = [];

  /** Starts `commandLine` (which ends in `serve --stdio`) on the host as the session. */
  constructor(
    private readonly transport: Transport,
    commandLine: string,
    private readonly idleMs: number,
    private readonly onClosed: () => void,
  ) {
    this.process = transport.start(commandLine);
    let isReady = false;
    let markReady: (outcome: Outcome<VersionRecord>) => void = () => undefined;
    this.ready = new Promise((resolve) => (markReady = resolve));
    createInterface({ input: this.process.stdout, crlfDelay: Infinity }).on('line', (line) => {
      const message = decodeServe<ServeMessage>(line);
      if (message?.type === 'serve-ready') {
        isReady = true;
        markReady(succeed(message.version));
      } else if (message) this.dispatch(message);
      else if (!isReady) this.preamble.push(line);
    });
    createInterface({ input: this.process.stderr, crlfDelay: Infinity }).on('line', (line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > 20) this.stderrTail.shift();
    });
    void this.process.exited.then(({ exitCode, spawnError }) => {
      const error =
        classifySshFailure(transport.label, this.stderrTail.join('\n'), exitCode, spawnError) ??
        ({
          code: 'connection-lost',
          host: transport.label,
          message: `the connection to ${transport.label} closed${this.stderrTail.length ? `: ${this.stderrTail.at(-1) ?? ''}` : ''}`,
        } satisfies ClientError);
      this.closedWith = error;
      markReady({ ok: false, error });
      for (const pending of this.pending.values()) pending.resolve({ ok: false, error });
      this.pending.clear();
      clearTimeout(this.idleTimer);
      this.onClosed();
    });
    this.armIdleTimer();
  }

  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** Runs one runner command on the host; resolves when it exited (or the connection dropped). */
  async request(argv: string[], options: RequestOptions = {}): Promise<Outcome<CommandOutcome>> {
    const ready = await this.ready;
    if (!ready.ok) return ready;
    if (this.closedWith) return { ok: false, error: this.closedWith };
    if (options.signal?.aborted) return failWith('cancelled', 'cancelled before it started');
    clearTimeout(this.idleTimer);
    const id = this.nextId++;
    return new Promise((resolve) => {
      const onAbort = () => this.send({ type: 'cancel', id });
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        options,
        records: [],
        stderr: [],
        resolve: (outcome) => {
          options.signal?.removeEventListener('abort', onAbort);
          resolve(outcome);
          this.armIdleTimer();
        },
      });
      this.send({
        type: 'request',
        id,
        argv,
        ...(options.input !== undefined ? { input: options.input } : {}),
      });
    });
  }

  /** Ends the session: serve sees its stdin end, cancels what still runs and exits. */
  close(): void {
    clearTimeout(this.idleTimer);
    this.process.stdin.end();
  }

  private send(request: ServeRequest): void {
    if (!this.closedWith) this.process.stdin.write(`${encodeServe(request)}\n`);
  }

  private dispatch(message: ServeMessage): void {
    if (message.type === 'serve-ready' || message.id === undefined) return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    if (message.type === 'serve-record') {
      pending.records.push(message.record);
      pending.options.onRecord?.(message.record);
    } else if (message.type === 'serve-text') {
      if (message.stream === 'stderr') pending.stderr.push(message.line);
      pending.options.onText?.(message.line, message.stream);
    } else if (message.type === 'serve-exit') {
      this.pending.delete(message.id);
      pending.resolve(
        succeed({ exitCode: message.exitCode, records: pending.records, stderr: pending.stderr }),
      );
    } else if (message.type === 'serve-error') {
      this.pending.delete(message.id);
      pending.resolve({
        ok: false,
        error: { ...message.error, host: this.transport.label },
      });
    }
  }

  private armIdleTimer(): void {
    clearTimeout(this.idleTimer);
    if (this.pending.size > 0 || this.closedWith) return;
    this.idleTimer = setTimeout(() => this.close(), this.idleMs);
    this.idleTimer.unref();
  }
}
