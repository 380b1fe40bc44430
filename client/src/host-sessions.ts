import type { HostEntry, Settings } from './config';
import type { Outcome } from './errors';
import { failWith, succeed } from './errors';
import type { Host } from './hosts';
import { connectionKey } from './hosts';
import { LocalTransport } from './local-transport';
import type { RunnerArtifact, RunnerArtifacts } from './runner-artifacts';
import type { RunnerSource } from './runner-locator';
import {
  chooseArtifact,
  connectCommand,
  entryServeCommand,
  parseFacts,
  uploadedServeCommand,
} from './runner-locator';
import { uploadRunner } from './runner-upload';
import type { CommandOutcome, RequestOptions } from './session';
import { RunnerSession } from './session';
import { isValidDestination, SshTransport } from './ssh-transport';
import type { Transport } from './transport';
import { PROTOCOL_VERSION } from 'backup-runner/protocol';
import type { VersionRecord } from 'backup-runner/protocol';

/** What tests and the benchmark count: connections opened and runners uploaded. */
export interface SessionStats {
  connections: number;
  uploads: number;
  uploadedBytes: number;
}

/** What a person should hear about while a host connects. */
export interface SessionNotices {
  /** The extension's runner is being sent to the host. */
  upload?: (host: Host, artifact: RunnerArtifact) => void;
  /** The runner found no usable restic there (runs will fail until it is installed). */
  resticMissing?: (host: Host, error: { message: string; hint?: string }) => void;
}

interface Connection {
  session: RunnerSession;
  source: RunnerSource;
  version: VersionRecord;
}

/**
 * One reused session per host (per ssh destination and runner command): the first request
 * locates the runner and opens `serve --stdio`; later ones, from any command or view, go over
 * the same connection until it has been idle for `ssh.sessionIdleSeconds`.
 */
export class HostSessions {
  readonly stats: SessionStats = { connections: 0, uploads: 0, uploadedBytes: 0 };
  private readonly connections = new Map<string, Promise<Outcome<Connection>>>();
  /** The open session of each key, to forget exactly that one when it closes. */
  private readonly live = new Map<string, RunnerSession>();

  constructor(
    private readonly artifacts: () => Promise<RunnerArtifacts | undefined>,
    private readonly settings: () => Settings,
    private readonly notices: SessionNotices = {},
  ) {}

  /** Runs `backup-runner <argv>` on the host over its session. */
  async request(
    host: Host,
    argv: string[],
    options: RequestOptions = {},
  ): Promise<Outcome<CommandOutcome>> {
    const connection = await this.connect(host);
    if (!connection.ok) return connection;
    return connection.value.session.request(argv, options);
  }

  /** The version record of the host's runner (connecting when needed). */
  async version(host: Host): Promise<Outcome<VersionRecord>> {
    const connection = await this.connect(host);
    return connection.ok ? succeed(connection.value.version) : connection;
  }

  closeAll(): void {
    for (const connection of this.connections.values())
      void connection.then((c) => c.ok && c.value.session.close());
    this.connections.clear();
    this.live.clear();
  }

  private connect(host: Host): Promise<Outcome<Connection>> {
    const key = connectionKey(host);
    const existing = this.connections.get(key);
    if (existing) return existing;
    const opening = this.open(host, key);
    this.connections.set(key, opening);
    // A failed attempt is not kept: the next request tries again (the host may be back).
    void opening.then((outcome) => {
      if (!outcome.ok && this.connections.get(key) === opening) this.connections.delete(key);
    });
    return opening;
  }

  /**
   * Connects in one ssh connection when the host has a runner (the entry's command, a PATH
   * runner of our protocol, or ours in its cache); else uploads ours and connects again.
   */
  private async open(host: Host, key: string): Promise<Outcome<Connection>> {
    const settings = this.settings();
    const transport = this.transportFor(host, settings);
    if (!transport.ok) return transport;
    const entry: Partial<HostEntry> = host.entry ?? {};
    const artifacts = await this.artifacts();
    if (entry.runner)
      return this.serve(host, key, transport.value, entryServeCommand(entry), 'entry').outcome;
    const first = this.serve(
      host,
      key,
      transport.value,
      connectCommand(entry, artifacts),
      'cached',
    );
    const connected = await first.outcome;
    const facts = parseFacts(first.session.preamble);
    if (connected.ok) {
      if (facts.serving === 'path') connected.value.source = 'path';
      return connected;
    }
    if (facts.serving !== 'none') return connected;
    const artifact = chooseArtifact(facts, artifacts);
    if (!artifact.ok) return { ok: false, error: { ...artifact.error, host: host.label } };
    this.stats.uploads++;
    this.notices.upload?.(host, artifact.value);
    const upload = await uploadRunner(transport.value, artifact.value, settings.sshPath);
    if (!upload.ok) return upload;
    this.stats.uploadedBytes += upload.value.bytesSent;
    return this.serve(
      host,
      key,
      transport.value,
      uploadedServeCommand(entry, upload.value.dir),
      'uploaded',
    ).outcome;
  }

  /** Starts a session with `commandLine`; its outcome once the runner said it is ready. */
  private serve(
    host: Host,
    key: string,
    transport: Transport,
    commandLine: string,
    source: RunnerSource,
  ): { session: RunnerSession; outcome: Promise<Outcome<Connection>> } {
    const settings = this.settings();
    this.stats.connections++;
    const session = new RunnerSession(
      transport,
      commandLine,
      settings.sessionIdleSeconds * 1000,
      () => {
        if (this.live.get(key) !== session) return;
        this.live.delete(key);
        this.connections.delete(key);
      },
    );
    const outcome = session.ready.then((ready): Outcome<Connection> => {
      if (!ready.ok) return ready;
      if (ready.value.protocol !== PROTOCOL_VERSION) {
        session.close();
        return failWith(
          'protocol-mismatch',
          `the runner on ${host.label} speaks protocol ${ready.value.protocol} (backup-runner ${ready.value.version}); this extension speaks ${PROTOCOL_VERSION}`,
          {
            host: host.label,
            hint: 'update the runner on the host, or remove "runner" from this host to let the extension bring its own',
          },
        );
      }
      this.live.set(key, session);
      if (!ready.value.restic.ok) this.notices.resticMissing?.(host, ready.value.restic.error);
      return succeed({ session, source, version: ready.value });
    });
    return { session, outcome };
  }

  private transportFor(host: Host, settings: Settings): Outcome<Transport> {
    if (!host.entry) return succeed(new LocalTransport());
    if (!isValidDestination(host.entry.host))
      return failWith('ssh-failed', `"${host.entry.host}" is not an ssh destination`, {
        host: host.label,
        hint: 'use user@host, host, or an alias of your ssh config',
      });
    return succeed(new SshTransport(host.entry.host, settings));
  }
}
