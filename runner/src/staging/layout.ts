import { join } from 'node:path';

/**
 * Where a run lives under `staging.dir`:
 * - `<run-id>.partial/<source>/...` while sources are dumped (never read by restic);
 * - `current/<source>/...` once every source succeeded: the stable path restic backs up, so
 *   snapshots share their paths, deduplicate against each other and group for retention;
 * - `<run-id>/` for earlier runs kept locally (`staging.keep_runs`).
 */
export class StagingLayout {
  constructor(readonly root: string) {}

  partial(runId: string): string {
    return join(this.root, `${runId}.partial`);
  }

  kept(runId: string): string {
    return join(this.root, runId);
  }

  get current(): string {
    return join(this.root, 'current');
  }

  currentSource(source: string): string {
    return join(this.current, source);
  }

  get lockFile(): string {
    return join(this.root, 'backup-yaml.lock');
  }

  /** Facts that outlive a run: when the repositories were last checked, for instance. */
  get stateFile(): string {
    return join(this.root, 'backup-yaml.state.json');
  }
}

export const MANIFEST_NAME = 'manifest.json';
