import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { execa } from 'execa';
import { runCli } from '../../support/runner-cli';
import { fillDisk } from '../../support/tmpfs';
import type { Effect, Fault } from '../support/fault';
import { expectRun } from '../support/fault';
import type { World } from '../support/world';

/** Full file systems (tmpfs) under staging, archive, repository, and the state file. */
export function fullDisks(worldName: string): Fault[] {
  const filling = (
    label: string,
    where: (world: World) => string,
    judge: (result: Awaited<ReturnType<typeof runCli>>) => Effect,
    leaveBytes = 0,
  ): Fault => ({
    name: `full disk: ${label}`,
    world: worldName,
    inject: async (world) => {
      const filler = await fillDisk(where(world), `filler-${label}`);
      if (leaveBytes > 0) await execa('truncate', ['-s', `-${leaveBytes}`, filler]);
      try {
        await world.change();
        return judge(await runCli(['run', '-c', world.spec, '--json']));
      } finally {
        await rm(filler, { force: true });
      }
    },
  });
  const withCause = (effect: Effect, result: Awaited<ReturnType<typeof runCli>>): Effect => {
    const enospc = /ENOSPC|no space left/i.test(result.stdout);
    return enospc
      ? { ...effect, what: `${effect.what} (ENOSPC)` }
      : { ...effect, wrong: effect.wrong ?? 'the error does not say ENOSPC' };
  };
  return [
    // Found in the preflight, before anything is stopped or dumped. A little room is left (the
    // lock file fits; without one byte the run stops at its lock, lock-io), not enough for a run.
    filling(
      'staging',
      (w) => dirname(w.staging),
      (r) => expectRun(r, 1, 'staging-no-room'),
      1024 * 1024,
    ),
    filling(
      'archive',
      (w) => w.archiveDir ?? '',
      (r) => withCause(expectRun(r, 1, 'archive-failed'), r),
    ),
    filling(
      'repository',
      (w) => dirname(w.targets[0]?.dir ?? ''),
      (r) => withCause(expectRun(r, 1, 'restic-no-space'), r),
    ),
    {
      name: 'full disk: state (status and metrics files)',
      world: worldName,
      // The backup stands; the run says what it could not write, and leaves no temporary file.
      // (The state file in staging on a full disk: test/runner/full-disks.test.ts.)
      inject: async (world) => {
        const filler = await fillDisk(world.notifyDir ?? '', 'filler-state');
        try {
          await world.change();
          const result = await runCli(['run', '-c', world.spec, '--json']);
          const effect = expectRun(result, 0);
          const warned = ['notify.status_file', 'notify.metrics_file'].every((file) =>
            result.records.some(
              (r) => r.type === 'log' && r.message.includes(`cannot write ${file}`),
            ),
          );
          return warned
            ? { ...effect, what: `${effect.what}, status and metrics not written (warnings)` }
            : { ...effect, wrong: 'no warning about the status or metrics file' };
        } finally {
          await rm(filler, { force: true });
        }
      },
    },
  ];
}
