export interface Row {
  fault: string;
  world: string;
  /** What the fault did. */
  effect: string;
  survived: boolean;
  /** Snapshots lost (never more than 0 when it survived). */
  lost: number;
  problems: string[];
}

/**
 * The matrix as a table (fault, what it did, outcome), then the one line CI keeps:
 * `faults: N tried, N survived, N data lost`.
 */
export function printTable(rows: Row[]): void {
  const sorted = [...rows].sort((a, b) => a.world.localeCompare(b.world) || 0);
  const width = Math.max(5, ...sorted.map((r) => r.fault.length));
  const lines = [
    '',
    `${'fault'.padEnd(width)}  outcome`,
    `${'-'.repeat(width)}  ${'-'.repeat(60)}`,
    ...sorted.map(
      (r) =>
        `${r.fault.padEnd(width)}  ${r.survived ? 'survived' : 'FAILED'}: ${r.effect}${r.survived ? '; next run ok, 0 lost, verify ok' : `; ${r.problems.join('; ')}`}`,
    ),
    '',
    `faults: ${rows.length} tried, ${rows.filter((r) => r.survived).length} survived, ${rows.reduce((sum, r) => sum + r.lost, 0)} data lost`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
