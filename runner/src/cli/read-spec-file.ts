import { open } from 'node:fs/promises';
import { MAX_SPEC_LENGTH } from '../spec/yaml-parse';

/**
 * What the validator can take (characters), in the most bytes UTF-8 could need for it, plus one
 * byte: enough for validateSpec to say "too-large" itself, never a 1 GB read of /dev/urandom.
 */
const MAX_READ_BYTES = MAX_SPEC_LENGTH * 4 + 1;
const CHUNK_BYTES = 1024 * 1024;

/**
 * Reads a spec as text, at most MAX_READ_BYTES of it (a device or a huge file is cut there and
 * then reported as too large). Without the byte-order mark editors drop too, or every column on
 * line 1 would be off by one. Throws what the file system throws (ENOENT, EISDIR, ...).
 */
export async function readSpecFile(path: string): Promise<string> {
  const file = await open(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    // A regular file could be read in one go, but a device or a pipe has no size: read in
    // chunks, and stop at the cap whatever the file claims.
    while (total < MAX_READ_BYTES) {
      const chunk = Buffer.alloc(Math.min(CHUNK_BYTES, MAX_READ_BYTES - total));
      const { bytesRead } = await file.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
    }
    return Buffer.concat(chunks)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
  } finally {
    await file.close();
  }
}
