import { open } from 'node:fs/promises';

/** The files SQLite keeps next to a database while it is open or was not closed cleanly. */
export const SQLITE_COMPANIONS = ['-wal', '-shm', '-journal'] as const;

/** True when the file starts with the SQLite header. */
export async function isSqliteFile(path: string): Promise<boolean> {
  const file = await open(path, 'r').catch(() => undefined);
  if (!file) return false;
  try {
    const header = Buffer.alloc(16);
    const { bytesRead } = await file.read(header, 0, 16, 0);
    return bytesRead === 16 && header.toString('latin1') === 'SQLite format 3\0';
  } finally {
    await file.close();
  }
}
