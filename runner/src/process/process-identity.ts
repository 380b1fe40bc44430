import { readFile } from 'node:fs/promises';

/** /proc/<pid>/stat start time: tells a live process from a new one that reused its PID. */
export async function processStartTime(pid: number): Promise<string | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Field 22; the command name (field 2) may contain spaces, so count after its closing paren.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether the process that had this PID and start time (on this host) still runs. */
export async function stillRunning(
  pid: number,
  processStart: string | undefined,
): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  if (processStart === undefined) return true;
  return (await processStartTime(pid)) === processStart;
}
