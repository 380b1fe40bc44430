import picomatch from 'picomatch';
import type { Result } from '../../result';
import { ok } from '../../result';
import type { FilesSource } from '../../spec/types';
import type { SourceDumper, SourceDumpOutput } from '../source-dumper';
import { copyTrees } from './copy-tree';
import { expandPaths } from './expand';

/**
 * Copies files and directories into the staging run, mirrored under their absolute path
 * (`/opt/torrust/.env` → `<outDir>/opt/torrust/.env`), keeping mode, times and owner.
 */
export const dumpFiles: SourceDumper<FilesSource> = async ({
  name,
  source,
  outDir,
  signal,
  progress,
  warn,
}) => {
  const started = Date.now();
  const expanded = await expandPaths(source.paths, name);
  if (!expanded.ok) return expanded;
  const { emptyGlobs } = expanded.value;
  if (source.allow_empty) for (const pattern of emptyGlobs) warn(`${pattern} matches no file`);
  // A pattern without a slash matches the file name anywhere; with one, the whole path.
  const isExcluded = picomatch(source.exclude ?? [], { dot: true, basename: true });
  let bytesDone = 0;
  const copied = await copyTrees(expanded.value.paths, {
    outDir,
    isExcluded: (path) => (source.exclude?.length ?? 0) > 0 && isExcluded(path),
    roots: expanded.value.paths,
    followSymlinks: source.follow_symlinks ?? false,
    signal,
    onBytes: (bytes) => progress({ bytesDone: (bytesDone += bytes) }),
    warn,
    subject: name,
  });
  if (!copied.ok) return copied;
  const empty =
    emptyGlobs.length > 0
      ? `${emptyGlobs.join(', ')} ${emptyGlobs.length === 1 ? 'matches' : 'match'} no file`
      : expanded.value.paths.length === 0
        ? 'no file to copy'
        : undefined;
  const result: Result<SourceDumpOutput> = ok({
    metadata: { paths: expanded.value.paths, ...copied.value, durationMs: Date.now() - started },
    ...(empty ? { empty } : {}),
  });
  return result;
};
