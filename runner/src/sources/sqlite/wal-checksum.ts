import { endianness } from 'node:os';

/** The running checksum of the WAL and of the wal-index header: two 32-bit words. */
export type WalChecksum = readonly [number, number];

export const NATIVE_LITTLE_ENDIAN = endianness() === 'LE';

/**
 * SQLite's walChecksumBytes (https://www.sqlite.org/fileformat2.html#walformat): over 32-bit
 * words x[0..n), s0 += x[i] + s1; s1 += x[i+1] + s0, all modulo 2^32. `littleEndian` says how
 * the words are read; `bytes.length` must be a multiple of 8.
 */
export function walChecksum(
  bytes: Uint8Array,
  littleEndian: boolean,
  seed: WalChecksum = [0, 0],
): WalChecksum {
  let [s0, s1] = seed;
  const words = bytes.length >>> 2;
  if (littleEndian === NATIVE_LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) {
    // Fast path: the words are in native order and aligned, so a typed-array view reads them.
    const view = new Uint32Array(bytes.buffer, bytes.byteOffset, words);
    for (let i = 0; i < words; i += 2) {
      s0 = (s0 + view[i]! + s1) >>> 0;
      s1 = (s1 + view[i + 1]! + s0) >>> 0;
    }
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    for (let i = 0; i < words; i += 2) {
      s0 = (s0 + view.getUint32(i * 4, littleEndian) + s1) >>> 0;
      s1 = (s1 + view.getUint32(i * 4 + 4, littleEndian) + s0) >>> 0;
    }
  }
  return [s0, s1];
}
