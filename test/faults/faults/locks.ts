import { leaveStaleLock } from '../../support/restic-locks';
import type { Fault } from '../support/fault';
import type { World } from '../support/world';

/** What a restic killed with -9 while it held a lock leaves: exclusive (check, prune) or shared. */
export function staleLocks(worldName: string): Fault[] {
  return (['exclusive', 'shared'] as const).map((kind) => ({
    name: `stale ${kind} restic lock`,
    world: worldName,
    inject: async (world: World) => {
      const target = world.targets[0];
      if (!target?.dir) return { what: 'no local target', wrong: 'no local target' };
      await leaveStaleLock(
        target.env['RESTIC_REPOSITORY'] ?? '',
        target.env['RESTIC_PASSWORD_FILE'] ?? '',
        kind,
      );
      return { what: `a killed restic left a ${kind} lock on ${target.name}` };
    },
    // Every command goes on by itself (test/runner/restic-locks.test.ts tries each of them).
    again: () => [{ command: ['snapshots'], label: 'snapshots' }],
  }));
}
