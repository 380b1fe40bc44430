import type { VerifyCheck } from '../protocol';
import type { Result } from '../result';
import type { SecretSources } from '../secrets';
import type { Source, Verify } from '../spec/types';
import type { ManifestEntry } from '../staging/manifest';
import type { SourceDumper } from './source-dumper';

/**
 * Everything the runner knows about one source type, in one folder (`sources/<type>/`): how it
 * is dumped, how the plan shows that, which secret it reads, how its restored files are put in
 * place, how it goes back in place, and what the restore drill checks. The engine, restore and
 * verify code never test a source's type; they ask its module (`registry.ts`). The spec module
 * keeps validation (the schema and the semantic checks).
 */
export interface SourceModule<S extends Source = Source> {
  dump: SourceDumper<S>;
  /** How the source will be dumped, for the plan: words for in-process work, argv for programs. */
  describe(name: string, source: S, outDir: string): SourceDescription;
  /**
   * Where its password comes from, for sources that read one: the preflight reads it before
   * hooks.before may stop what serves it, and `{ env: NAME }` is withdrawn from children.
   */
  password?(source: S): SecretSources;
  /** The size the source has now, when it can be known before the dump (staging room). */
  sizeNow?(source: S): Promise<number>;
  /** Restored files that are live databases, replaced with care (restore --to). */
  placement?: RestorePlacement;
  /** Putting the database back at the source's own path (`restore --in-place`). */
  inPlace?: InPlaceRestore<S>;
  /**
   * The restore drill of this type, after every file was checked against the manifest. Made
   * once per drill (it may find a client and read the password of a verify server first).
   */
  prepareDrill(verify: Verify | undefined, signal: AbortSignal): Promise<Result<SourceDrill>>;
  /** A files source whose globs matched nothing stages nothing; a database always stages a file. */
  mayStageNothing?: boolean;
  /**
   * The host paths a source stages under `<source>/` with their full path (files sources): a
   * user names its files by host path, `ls` shows the original path, and `cat current` reads
   * them from the host. Without it, a source stages files named by the dump.
   */
  hostPaths?(source: S): string[];
  /**
   * Whether the staged copy is checked alongside the backup, in an `integrity:<source>` step the
   * run waits for before retention (SQLite's integrity_check, unless off).
   */
  checkedAlongside?(source: S): boolean;
}

export interface SourceDescription {
  title: string;
  commands: string[][];
}

export interface RestorePlacement {
  /** Whether a restored file is a database of this type (by its header). */
  isDatabase(path: string): Promise<boolean>;
  /**
   * Suffixes of the files that sit next to a live database (SQLite: `-wal`, `-shm`, `-journal`):
   * they count as in use with it, and are removed when it is replaced, or the engine would
   * replay them onto the restored file.
   */
  companions: readonly string[];
}

export interface InPlaceRestore<S extends Source = Source> {
  /** The live database's path. */
  livePath(source: S): string;
  /**
   * Checks the restored copy (beside the live file, already matching the manifest) before it is
   * swapped in, and readies it (journal mode): warnings for the record, or why it is refused.
   */
  prepareCopy(copy: string, options: PrepareCopyOptions): Promise<Result<PreparedCopy>>;
}

export interface PrepareCopyOptions {
  /** What the dump recorded in the manifest for this source. */
  metadata: Record<string, unknown>;
  signal: AbortSignal;
  /**
   * `quick` when those very bytes (their sha256 matched) passed a full check at backup, so a
   * structural check is what is left; `full` otherwise, or when asked (--integrity-check).
   */
  check: 'full' | 'quick';
}

export interface PreparedCopy {
  warnings: string[];
  /** The check that ran on the copy, for the restore record (SQLite: the PRAGMA). */
  check: string;
}

export interface DrillInput {
  source: string;
  /** The restored run directory. */
  runDir: string;
  /** The source's files in the manifest. */
  entries: ManifestEntry[];
  /** What the dump recorded in the manifest for this source. */
  metadata: Record<string, unknown>;
  /** Every file matched the manifest: a damaged dump is not loaded anywhere. */
  intact: boolean;
  signal: AbortSignal;
}

export type SourceDrill = (input: DrillInput) => Promise<VerifyCheck[]>;

/** A drill with nothing to check beyond the manifest's sha256 (files sources). */
export const noDrill = async (): Promise<Result<SourceDrill>> => ({
  ok: true,
  value: async () => [],
});
