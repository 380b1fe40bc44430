import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { WalChecksum } from './wal-checksum';
import { NATIVE_LITTLE_ENDIAN, walChecksum } from './wal-checksum';

/**
 * The start of the wal-index (the `-shm` file), as https://www.sqlite.org/walformat.html
 * documents it: two copies of a 48-byte header, then the checkpoint information. Every
 * integer is in the machine's native byte order. The header changes only while a connection
 * holds the WAL write lock, so it is read while we hold that lock.
 */
export interface WalIndexHeader {
  /** The last valid commit frame: the latest snapshot ends here. */
  mxFrame: number;
  /** The database size in pages as of mxFrame. */
  nPage: number;
  pageSize: number;
  /** The salt words of the WAL header, as raw bytes (big-endian, copied from the WAL file). */
  salt: Buffer;
  /** The running checksum after frame mxFrame. */
  frameChecksum: WalChecksum;
  /** Frames 1..nBackfill have been copied into the database file by checkpoints. */
  nBackfill: number;
}

const HEADER_COPY_BYTES = 48;
const CHECKSUMMED_BYTES = 40;
const CHECKPOINT_INFO_OFFSET = 96;
/** Both header copies and nBackfill. */
const BYTES_NEEDED = CHECKPOINT_INFO_OFFSET + 4;
const WAL_INDEX_VERSION = 3007000;

/**
 * Reads the wal-index header synchronously: it runs while we hold the write lock, where every
 * millisecond is a millisecond some writer waits. Returns a reason string when the header is
 * not what this code understands (the caller then falls back to the backup API).
 */
export function readWalIndexHeader(shm: FileHandle): WalIndexHeader | string {
  const bytes = Buffer.alloc(BYTES_NEEDED);
  const read = readSync(shm.fd, bytes, 0, BYTES_NEEDED, 0);
  if (read < BYTES_NEEDED) return `the wal-index is ${read} bytes long`;
  const first = bytes.subarray(0, HEADER_COPY_BYTES);
  if (!first.equals(bytes.subarray(HEADER_COPY_BYTES, 2 * HEADER_COPY_BYTES)))
    return 'the two copies of the wal-index header differ';
  const u32 = (offset: number) =>
    NATIVE_LITTLE_ENDIAN ? bytes.readUInt32LE(offset) : bytes.readUInt32BE(offset);
  if (u32(0) !== WAL_INDEX_VERSION) return `unknown wal-index version ${u32(0)}`;
  if (bytes[12] !== 1) return 'the wal-index header is not initialised';
  const [c0, c1] = walChecksum(first.subarray(0, CHECKSUMMED_BYTES), NATIVE_LITTLE_ENDIAN);
  if (c0 !== u32(40) || c1 !== u32(44)) return 'the wal-index header checksum does not match';
  const rawPageSize = NATIVE_LITTLE_ENDIAN ? bytes.readUInt16LE(14) : bytes.readUInt16BE(14);
  return {
    mxFrame: u32(16),
    nPage: u32(20),
    pageSize: rawPageSize === 1 ? 65536 : rawPageSize,
    frameChecksum: [u32(24), u32(28)],
    salt: Buffer.from(bytes.subarray(32, 40)),
    nBackfill: u32(CHECKPOINT_INFO_OFFSET),
  };
}
