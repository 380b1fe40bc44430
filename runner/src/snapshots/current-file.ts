import { createReadStream } from 'node:fs';
import { lstat } from 'node:fs/promises';
import type { RunConfig } from '../config';
import type { FileRecord } from '../protocol';
import type { Result } from '../result';
import { errorMessage, fail, ok } from '../result';
import { moduleFor } from '../sources/registry';
import { normalizeUserPath } from './snapshot-layout';

/**
 * A file of a files source as it is on the host now, named as in a snapshot
 * (`config/opt/torrust/etc/tracker.toml` is /opt/torrust/etc/tracker.toml): what "Compare with
 * current" puts beside the snapshot's copy. Only paths under the source's own `paths` are read,
 * so this reads nothing the spec does not already back up.
 */
export async function findCurrentFile(
  config: RunConfig,
  target: string,
  path: string,
): Promise<Result<FileRecord>> {
  const userPath = normalizeUserPath(path);
  if (!userPath.ok) return userPath;
  const [sourceName = '', ...rest] = userPath.value.split('/');
  const source = config.sources.find((s) => s.name === sourceName)?.source;
  if (!source) return fail('unknown-source', `the spec has no source "${sourceName}"`);
  const roots = moduleFor(source).hostPaths?.(source);
  if (!roots)
    return fail(
      'not-a-file',
      `"current" reads files of a files source; "${sourceName}" is a ${source.type} source`,
    );
  const hostPath = `/${rest.join('/')}`;
  const covered = roots.some(
    (root) => hostPath === root || hostPath.startsWith(`${root.replace(/\/+$/, '')}/`),
  );
  if (rest.length === 0 || !covered)
    return fail('not-in-source', `${hostPath} is not under the paths of source "${sourceName}"`);
  let stat;
  try {
    stat = await lstat(hostPath);
  } catch (error) {
    return fail('not-on-host', `${hostPath} is not there now: ${errorMessage(error)}`, {
      subject: sourceName,
    });
  }
  if (!stat.isFile()) return fail('not-a-file', `${hostPath} is not a regular file now`);
  return ok({
    type: 'file',
    target,
    snapshotId: 'current',
    path: userPath.value,
    source: sourceName,
    sourceType: source.type,
    originalPath: hostPath,
    size: stat.size,
    mode: stat.mode & 0o777,
    mtime: stat.mtime.toISOString(),
  });
}

/** Streams the file's bytes to `onBytes`; an I/O failure is an error value. */
export async function readCurrentFile(
  file: FileRecord,
  signal: AbortSignal,
  onBytes: (chunk: Buffer) => void,
): Promise<Result<number>> {
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(file.originalPath ?? '', { signal }))
      if (Buffer.isBuffer(chunk)) {
        bytes += chunk.length;
        onBytes(chunk);
      }
    return ok(bytes);
  } catch (error) {
    if (signal.aborted) return fail('cancelled', 'cancelled');
    return fail('host-file-unreadable', `cannot read ${file.originalPath}: ${errorMessage(error)}`);
  }
}
