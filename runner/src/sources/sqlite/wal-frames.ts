import type { FileHandle } from 'node:fs/promises';
import type { WalChecksum } from './wal-checksum';
import { walChecksum } from './wal-checksum';

/**
 * The WAL file (https://www.sqlite.org/fileformat2.html#walformat): a 32-byte header, then
 * frames of a 24-byte header and one page. Integers are big-endian; the checksum words are read
 * little- or big-endian as the magic number says.
 */
export const WAL_HEADER_BYTES = 32;
export const WAL_FRAME_HEADER_BYTES = 24;
const MAGIC_LITTLE_ENDIAN = 0x377f0682;
const MAGIC_BIG_ENDIAN = 0x377f0683;
const WAL_VERSION = 3007000;
/** Frames read and checked per batch: bounded memory, and the event loop gets a turn between. */
const FRAMES_PER_BATCH = 256;

export interface WalHeader {
  pageSize: number;
  littleEndianChecksum: boolean;
  /** Bytes 16-23, the salts every valid frame repeats. */
  salt: Buffer;
  checksum: WalChecksum;
}

/** The newest frame of each page up to a commit frame: what a reader of that snapshot sees. */
export interface WalSnapshotFrames {
  /** Page number -> 1-based frame index. */
  newestFrameOfPage: Map<number, number>;
  pageSize: number;
  /** The database size in pages written in the commit frame. */
  commitPageCount: number;
}

export function frameOffset(frame: number, pageSize: number): number {
  return WAL_HEADER_BYTES + (frame - 1) * (WAL_FRAME_HEADER_BYTES + pageSize);
}

export async function readWalHeader(wal: FileHandle): Promise<WalHeader | string> {
  const bytes = Buffer.alloc(WAL_HEADER_BYTES);
  const { bytesRead } = await wal.read(bytes, 0, WAL_HEADER_BYTES, 0);
  if (bytesRead < WAL_HEADER_BYTES) return `the WAL file is ${bytesRead} bytes long`;
  const magic = bytes.readUInt32BE(0);
  if (magic !== MAGIC_LITTLE_ENDIAN && magic !== MAGIC_BIG_ENDIAN)
    return 'the WAL file does not start with the WAL magic number';
  if (bytes.readUInt32BE(4) !== WAL_VERSION) return 'unknown WAL format version';
  const littleEndianChecksum = magic === MAGIC_LITTLE_ENDIAN;
  const checksum = walChecksum(bytes.subarray(0, 24), littleEndianChecksum);
  if (checksum[0] !== bytes.readUInt32BE(24) || checksum[1] !== bytes.readUInt32BE(28))
    return 'the WAL header checksum does not match';
  return {
    pageSize: bytes.readUInt32BE(8),
    littleEndianChecksum,
    salt: Buffer.from(bytes.subarray(16, 24)),
    checksum,
  };
}

export interface ReadFramesRequest {
  header: WalHeader;
  /** The snapshot's last commit frame (mxFrame of the wal-index header). */
  lastFrame: number;
  /** The checksum the wal-index header records after lastFrame. */
  expectedChecksum: WalChecksum;
  signal: AbortSignal;
}

/**
 * Reads frames 1..lastFrame, checking each frame's salt and the running checksum exactly as
 * SQLite's recovery does, and maps each page to its newest frame. Any mismatch — a frame that is
 * not part of the chain, a last frame that is not a commit, a final checksum other than the one
 * the wal-index recorded — returns a reason instead: the caller then trusts SQLite, not us.
 */
export async function readSnapshotFrames(
  wal: FileHandle,
  request: ReadFramesRequest,
): Promise<WalSnapshotFrames | string> {
  const { header, lastFrame, expectedChecksum, signal } = request;
  const { pageSize, littleEndianChecksum, salt } = header;
  const frameBytes = WAL_FRAME_HEADER_BYTES + pageSize;
  // An ArrayBuffer of its own keeps every frame 8-byte aligned for the checksum's fast path.
  const batch = new Uint8Array(new ArrayBuffer(frameBytes * FRAMES_PER_BATCH));
  const newestFrameOfPage = new Map<number, number>();
  let checksum = header.checksum;
  let commitPageCount = 0;
  for (let first = 1; first <= lastFrame; first += FRAMES_PER_BATCH) {
    if (signal.aborted) return 'cancelled';
    const count = Math.min(FRAMES_PER_BATCH, lastFrame - first + 1);
    const want = count * frameBytes;
    const { bytesRead } = await wal.read(batch, 0, want, frameOffset(first, pageSize));
    if (bytesRead < want) return `the WAL file ends before frame ${lastFrame}`;
    for (let i = 0; i < count; i++) {
      const frame = Buffer.from(batch.buffer, i * frameBytes, frameBytes);
      const pageNumber = frame.readUInt32BE(0);
      if (pageNumber === 0 || !frame.subarray(8, 16).equals(salt))
        return `frame ${first + i} is not part of the current WAL`;
      checksum = walChecksum(frame.subarray(0, 8), littleEndianChecksum, checksum);
      checksum = walChecksum(
        frame.subarray(WAL_FRAME_HEADER_BYTES),
        littleEndianChecksum,
        checksum,
      );
      if (checksum[0] !== frame.readUInt32BE(16) || checksum[1] !== frame.readUInt32BE(20))
        return `the checksum of frame ${first + i} does not match`;
      newestFrameOfPage.set(pageNumber, first + i);
      commitPageCount = frame.readUInt32BE(4);
    }
  }
  if (commitPageCount === 0) return `frame ${lastFrame} is not a commit frame`;
  if (checksum[0] !== expectedChecksum[0] || checksum[1] !== expectedChecksum[1])
    return 'the WAL checksum at the snapshot frame differs from the wal-index';
  return { newestFrameOfPage, pageSize, commitPageCount };
}
