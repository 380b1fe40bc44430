import type { DiagnosticReporter } from '../reporter';
import { suggest } from '../suggest';
import { asRecord, namedEntries } from './read';

/** A plain copy of a live SQLite file is the seeds' corrupt-backup bug; it needs a stopped app. */
export function checkSqliteCopy(root: Record<string, unknown>, reporter: DiagnosticReporter): void {
  const before = asRecord(root['hooks'])?.['before'];
  const stopsApp = Array.isArray(before) && before.length > 0;
  if (stopsApp) return;
  for (const [name, source] of namedEntries(root, 'sources')) {
    if (source['type'] === 'sqlite' && source['method'] === 'copy') {
      reporter.atValue(
        ['sources', name, 'method'],
        'copy-without-stop-hook',
        `method "copy" of source "${name}" copies the file as it is; without a hooks.before that stops the application a concurrent write corrupts the copy. Use "snapshot", or add hooks that stop and start the application`,
      );
    }
  }
}

/** `targets.<t>.sources` names sources; each name must exist. */
export function checkSourceReferences(
  root: Record<string, unknown>,
  reporter: DiagnosticReporter,
): void {
  const names = Object.keys(asRecord(root['sources']) ?? {});
  for (const [target, entry] of namedEntries(root, 'targets')) {
    const list = entry['sources'];
    if (!Array.isArray(list)) continue;
    list.forEach((name: unknown, index: number) => {
      if (typeof name !== 'string' || names.includes(name)) return;
      const path = ['targets', target, 'sources', index];
      const suggestions = suggest(name, names);
      const hint =
        suggestions.length > 0
          ? `; did you mean "${suggestions[0]}"?`
          : names.length > 0
            ? `; sources are ${names.join(', ')}`
            : '';
      reporter.atValue(
        path,
        'unknown-reference',
        `target "${target}" names source "${name}", which is not defined${hint}`,
        {
          kind: 'unknown-reference',
          path,
          name,
          suggestions,
        },
      );
    });
  }
}

/** A compressed archive is new bytes every run: pushing it to restic stores it again in full. */
export function checkArchive(root: Record<string, unknown>, reporter: DiagnosticReporter): void {
  const archive = asRecord(root['archive']);
  if (!archive) return;
  const format = typeof archive['format'] === 'string' ? archive['format'] : 'tar.zst';
  if (archive['push'] === true && format !== 'tar') {
    reporter.atValue(
      ['archive', 'push'],
      'archive-defeats-dedup',
      `pushing a ${format} archive to restic defeats deduplication: it differs completely every run and is stored again in full (restic already receives the uncompressed staging run and compresses it itself). Remove "push", or use format "tar"`,
    );
  }
  if (format === 'tar.gz' && typeof archive['level'] === 'number' && archive['level'] > 9) {
    reporter.atValue(
      ['archive', 'level'],
      'out-of-range',
      `gzip levels go from 1 to 9, not ${archive['level']}`,
    );
  }
}
