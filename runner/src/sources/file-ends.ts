import { open } from 'node:fs/promises';

/** The first and last few KiB of a file, without reading the middle of a large dump. */
export async function readEnds(
  path: string,
  bytes = 4096,
): Promise<{ head: string; tail: string; size: number }> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const headLength = Math.min(bytes, size);
    const head = Buffer.alloc(headLength);
    await file.read(head, 0, headLength, 0);
    const tailLength = Math.min(bytes, size);
    const tail = Buffer.alloc(tailLength);
    await file.read(tail, 0, tailLength, size - tailLength);
    return { head: head.toString('utf8'), tail: tail.toString('utf8'), size };
  } finally {
    await file.close();
  }
}
