import type { FileHandle } from 'node:fs/promises';

/**
 * The 100-byte header at the start of every SQLite database file
 * (https://www.sqlite.org/fileformat2.html#the_database_header). All integers are big-endian.
 */
export const DATABASE_HEADER_BYTES = 100;
const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
/** Bytes 18 and 19: 1 = rollback journal, 2 = WAL. */
const FILE_FORMAT_OFFSET = 18;
const ROLLBACK_FORMAT = 1;

export interface DatabaseHeader {
  pageSize: number;
  /** 2 when the database is in WAL mode. */
  writeVersion: number;
  readVersion: number;
  /** The in-header database size in pages, 0 when it is not valid (see inHeaderPageCount). */
  inHeaderPageCount: number;
}

/** undefined when the bytes do not start like a SQLite database. */
export function parseDatabaseHeader(bytes: Buffer): DatabaseHeader | undefined {
  if (bytes.length < DATABASE_HEADER_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC))
    return undefined;
  const rawPageSize = bytes.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return undefined;
  const changeCounter = bytes.readUInt32BE(24);
  const versionValidFor = bytes.readUInt32BE(92);
  // The size at offset 28 is only trusted when the change counter matches version-valid-for.
  const inHeaderPageCount = changeCounter === versionValidFor ? bytes.readUInt32BE(28) : 0;
  return {
    pageSize,
    writeVersion: bytes.readUInt8(FILE_FORMAT_OFFSET),
    readVersion: bytes.readUInt8(FILE_FORMAT_OFFSET + 1),
    inHeaderPageCount,
  };
}

export async function readDatabaseHeader(file: FileHandle): Promise<DatabaseHeader | undefined> {
  const bytes = Buffer.alloc(DATABASE_HEADER_BYTES);
  const { bytesRead } = await file.read(bytes, 0, bytes.length, 0);
  return parseDatabaseHeader(bytes.subarray(0, bytesRead));
}

/**
 * A copy of a WAL database still says "WAL" in its header, so opening it would create -wal and
 * -shm files next to it and fail on read-only media. Bytes 18-19 = 1 make it a self-contained
 * rollback-journal database: the change `PRAGMA journal_mode=DELETE` makes, and what VACUUM INTO
 * writes. The original mode is recorded in the manifest so a restore can switch back.
 */
export async function markRollbackJournal(file: FileHandle): Promise<boolean> {
  const header = await readDatabaseHeader(file);
  if (
    !header ||
    (header.writeVersion === ROLLBACK_FORMAT && header.readVersion === ROLLBACK_FORMAT)
  )
    return false;
  await file.write(Buffer.from([ROLLBACK_FORMAT, ROLLBACK_FORMAT]), 0, 2, FILE_FORMAT_OFFSET);
  return true;
}
