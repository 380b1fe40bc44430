import type {
  FileRecord,
  ListingRecord,
  RunnerRecord,
  SnapshotRecord,
} from 'backup-runner/protocol';
import { validateSpec } from 'backup-runner/spec';
import type { Outcome } from './errors';
import { failWith, succeed } from './errors';
import type { Host } from './hosts';
import type { HostSessions } from './host-sessions';
import { errorRecordOf, recordOf } from './records';
import type { CommandOutcome } from './session';

/** What the tests and the benchmark count: listings asked of the host, and how they were served. */
export interface TreeStats {
  /** `ls` requests sent to a host (a listing served from the extension's memory sends none). */
  listRequests: number;
  /** The runner's `cached` flag of each listing it answered, newest last. */
  listCachedFlags: boolean[];
}

/** What the tree needs of a host's spec: its targets, and each source's type and path. */
export interface HostSpecFacts {
  targets: string[];
  sources: Record<string, { type: string; path?: string }>;
}

/** A file's bytes from a snapshot (or from the host as it is now), with its record. */
export interface FileContent {
  record: FileRecord;
  bytes: Buffer;
}

/**
 * The snapshot tree's data, asked of each host's runner over its reused session: the spec's
 * targets, their snapshots, one folder level at a time, files. Listings are kept in memory for
 * good (a snapshot never changes, and ids are content hashes); target and snapshot lists until
 * the host is refreshed.
 */
export class SnapshotData {
  readonly stats: TreeStats = { listRequests: 0, listCachedFlags: [] };
  private readonly specs = new Map<string, Promise<Outcome<HostSpecFacts>>>();
  private readonly snapshotLists = new Map<string, Promise<Outcome<SnapshotRecord[]>>>();
  private readonly listings = new Map<string, Promise<Outcome<ListingRecord>>>();

  constructor(private readonly sessions: HostSessions) {}

  /** Forgets a host's targets and snapshots (not its listings, which cannot change). */
  forget(host: Host): void {
    for (const map of [this.specs, this.snapshotLists])
      for (const key of [...map.keys()]) if (key.startsWith(`${host.id}\n`)) map.delete(key);
  }

  /** Drops the listings kept in memory: the next ones come from the runner's own cache. */
  dropListings(): void {
    this.listings.clear();
  }

  /** The spec's targets and sources, from the host's own copy of the spec. */
  spec(host: Host): Promise<Outcome<HostSpecFacts>> {
    return remember(this.specs, `${host.id}\n`, async () => {
      const read = await this.ask(host, ['read-spec', '-c', host.spec, '--json'], 'spec-file');
      if (!read.ok) return read;
      if (!read.value.exists)
        return failWith('spec-missing', `${host.spec} does not exist on ${host.label}`, {
          host: host.label,
          hint: 'deploy a spec there (backup.yaml: Deploy spec…) or fix the path in backupYaml.hosts',
        });
      const spec = validateSpec(read.value.text ?? '').spec;
      if (!spec)
        return failWith('spec-invalid', `${host.spec} on ${host.label} has errors`, {
          host: host.label,
          hint: 'run backup.yaml: Validate on host',
        });
      const sources = Object.fromEntries(
        Object.entries(spec.sources).map(([name, source]) => [
          name,
          { type: source.type, ...('path' in source ? { path: source.path } : {}) },
        ]),
      );
      return succeed({ targets: Object.keys(spec.targets ?? {}), sources });
    });
  }

  /** The target's snapshots of this spec, newest first. */
  snapshots(host: Host, target: string): Promise<Outcome<SnapshotRecord[]>> {
    return remember(this.snapshotLists, `${host.id}\n${target}`, async () => {
      const argv = ['snapshots', '-c', host.spec, '--target', target, '--json'];
      const outcome = await this.request(host, argv);
      if (!outcome.ok) return outcome;
      const records = outcome.value.records.filter(
        (r): r is SnapshotRecord => r.type === 'snapshot',
      );
      return succeed(records.reverse());
    });
  }

  /** One level of a snapshot ("" is its sources). */
  listing(host: Host, target: string, snapshotId: string, path: string) {
    const key = `${host.id}\n${target}\n${snapshotId}\n${path}`;
    return remember(this.listings, key, async () => {
      this.stats.listRequests++;
      const argv = ['ls', '-c', host.spec, '--target', target, snapshotId, path, '--json'];
      const listing = await this.ask(host, argv, 'listing');
      if (listing.ok) this.stats.listCachedFlags.push(listing.value.cached);
      return listing;
    });
  }

  /** A file of a snapshot, byte for byte; `snapshotId` "current" reads it as it is on the host. */
  async file(
    host: Host,
    target: string,
    snapshotId: string,
    path: string,
    maxBytes: number,
  ): Promise<Outcome<FileContent>> {
    const argv = ['cat', '-c', host.spec, '--target', target, '--max-bytes', String(maxBytes)];
    const outcome = await this.request(host, [...argv, snapshotId, path, '--json']);
    if (!outcome.ok) return outcome;
    const record = recordOf(outcome.value.records, 'file');
    if (!record) return failWith('runner-failed', `cat printed no file record for ${path}`);
    const bytes = Buffer.concat(
      outcome.value.records.flatMap((r) =>
        r.type === 'file-chunk' ? [Buffer.from(r.data, 'base64')] : [],
      ),
    );
    if (bytes.length !== record.size)
      return failWith('runner-failed', `${path}: ${bytes.length} of ${record.size} bytes arrived`);
    return succeed({ record, bytes });
  }

  sqliteSummary(host: Host, target: string, snapshotId: string, path: string) {
    const argv = ['cat', '-c', host.spec, '--target', target, '--sqlite-summary'];
    return this.ask(host, [...argv, snapshotId, path, '--json'], 'sqlite-summary');
  }

  private async ask<K extends RunnerRecord['type']>(
    host: Host,
    argv: string[],
    type: K,
  ): Promise<Outcome<Extract<RunnerRecord, { type: K }>>> {
    const outcome = await this.request(host, argv);
    if (!outcome.ok) return outcome;
    const record = recordOf(outcome.value.records, type);
    return record
      ? succeed(record)
      : failWith('runner-failed', `${argv[0]} printed no ${type} record`, { host: host.label });
  }

  /** A request whose `error` record or failed exit becomes the outcome's error. */
  private async request(host: Host, argv: string[]): Promise<Outcome<CommandOutcome>> {
    const outcome = await this.sessions.request(host, argv);
    if (!outcome.ok) return outcome;
    const error = errorRecordOf(outcome.value.records)?.error;
    if (error) return { ok: false, error: { ...error, host: host.label } };
    if (outcome.value.exitCode !== 0)
      return failWith(
        'runner-failed',
        `${argv[0]} ended with exit status ${outcome.value.exitCode}: ${outcome.value.stderr.at(-1) ?? ''}`,
        { host: host.label },
      );
    return outcome;
  }
}

/** The cached promise of `key`, made once; a failure is not kept, so the next call tries again. */
function remember<T>(
  map: Map<string, Promise<Outcome<T>>>,
  key: string,
  make: () => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  const existing = map.get(key);
  if (existing) return existing;
  const made = make();
  map.set(key, made);
  void made.then((outcome) => {
    if (!outcome.ok && map.get(key) === made) map.delete(key);
  });
  return made;
}
