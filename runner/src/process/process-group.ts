/**
 * Sends a signal to a whole process group: the child we started (it leads its own group) and
 * everything it started that stayed in the group, such as the `sleep` of `sh -c "sleep 30"`.
 * Returns false when the group is gone.
 */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}
