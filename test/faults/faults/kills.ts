import type { ResultPromise } from 'execa';
import { execa } from 'execa';
import { startCli } from '../../support/runner-cli';
import type { Effect, Fault } from '../support/fault';
import { kill, waitForChild, watchStep } from '../support/processes';
import type { World } from '../support/world';

/**
 * A MySQL session holding a write lock on the table the dump reads: mariadb-dump waits inside
 * the dump step for as long as the test wants, so a kill lands there every time.
 */
async function blockDump(world: World): Promise<() => Promise<void>> {
  const { database, socket } = world.mysql ?? { database: '', socket: '' };
  const session: ResultPromise = execa(
    'mariadb',
    // --unbuffered: the client answers each statement at once (stdout is a pipe, not a tty).
    ['--no-defaults', `--socket=${socket}`, '--unbuffered', '-u', 'root', database],
    { stdin: 'pipe', reject: false },
  );
  session.stdin?.write('LOCK TABLES items WRITE;\nSELECT "locked";\n');
  await new Promise<void>((resolve, reject) => {
    session.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve();
    });
    void session.then((r) => reject(new Error(`the lock session ended: ${String(r.stderr)}`)));
  });
  return async () => {
    session.stdin?.end('UNLOCK TABLES;\n');
    await session;
  };
}

/**
 * A PostgreSQL session holding ACCESS EXCLUSIVE on the table the dump reads, in an open
 * transaction: pg_dump waits for its ACCESS SHARE lock inside the dump step.
 */
async function blockPostgresDump(world: World): Promise<() => Promise<void>> {
  const { database, server } = world.postgres ?? { database: '', server: undefined };
  if (!server) throw new Error(`world ${world.name} has no postgres source`);
  const session: ResultPromise = execa(
    'psql',
    ['-X', `--host=${server.socketDir}`, `--port=${server.port}`, '-U', 'postgres', '-d', database],
    { stdin: 'pipe', reject: false },
  );
  session.stdin?.write("BEGIN;\nLOCK TABLE items IN ACCESS EXCLUSIVE MODE;\nSELECT 'locked';\n");
  await new Promise<void>((resolve, reject) => {
    session.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve();
    });
    void session.then((r) => reject(new Error(`the lock session ended: ${String(r.stderr)}`)));
  });
  return async () => {
    session.stdin?.end('COMMIT;\n');
    await session;
  };
}

interface KillPlan {
  label: string;
  /** The step the kill must land in. */
  step: string;
  /** The child (by command name) that works in that step, when there is one. */
  child?: string;
  /** A word of that child's argv (restic's subcommand), so a quick unlock is not taken for it. */
  word?: string;
  /** A spec variant that makes the step take a moment (check due, prune, zstd -19). */
  variant?: (world: World) => Record<string, unknown>;
  blockDump?: 'mysql' | 'postgres';
}

const RUN_STEPS: KillPlan[] = [
  // `--single-transaction` and `--verbose`: the dump itself, not the `--version` probe the
  // runner runs before it in the same step. (Killing the probe after it had ended left the real
  // dump waiting on the test's lock, and the test waiting on the run: a CI run hung there.)
  {
    label: 'dump',
    step: 'dump:shop',
    child: 'mariadb-dump',
    word: '--single-transaction',
    blockDump: 'mysql',
  },
  {
    label: 'postgres dump',
    step: 'dump:ledger',
    child: 'pg_dump',
    word: '--verbose',
    blockDump: 'postgres',
  },
  { label: 'manifest', step: 'manifest' },
  {
    label: 'archive',
    step: 'archive',
    child: 'zstd',
    variant: (world) => ({
      archive: { dir: world.archiveDir, format: 'tar.zst', level: 19, keep_within: '1h' },
    }),
  },
  { label: 'backup', step: 'backup:local', child: 'restic', word: 'backup' },
  {
    label: 'retention',
    step: 'retention:local',
    child: 'restic',
    word: 'forget',
    variant: () => ({ retention: { keep_last: 3, prune: true } }),
  },
  {
    label: 'check',
    step: 'check:local',
    child: 'restic',
    word: 'check',
    variant: () => ({ check: { every: '1s', read_data_subset: '100%' } }),
  },
];

/**
 * Kills the runner (or the child working for it) with -9 inside one step of a run. A runner
 * with a child in that step is killed once the child runs; one without (manifest) is stopped
 * the moment the step is announced, then killed. Says where the kill landed.
 */
async function killInStep(world: World, plan: KillPlan, killChild: boolean): Promise<Effect> {
  const spec = plan.variant
    ? await world.variant(plan.variant(world), `kill-${plan.label}`)
    : world.spec;
  const block =
    plan.blockDump === 'mysql'
      ? await blockDump(world)
      : plan.blockDump === 'postgres'
        ? await blockPostgresDump(world)
        : undefined;
  // Released before waiting for a run the kill missed: a blocked dump would wait for ever.
  let released: Promise<void> | undefined;
  const unblock = () => (released ??= block?.() ?? Promise.resolve());
  try {
    await world.change();
    const watch = watchStep(['run', '-c', spec], plan.step);
    const runner = watch.child.pid ?? 0;
    if (!(await watch.started)) {
      const what = `the run ended before ${plan.step}: exit ${(await watch.result()).exitCode}`;
      return { what, wrong: what };
    }
    let victim = runner;
    if (plan.child) {
      const child = await waitForChild(runner, plan.child, watch.finished, plan.word);
      if (child === undefined) {
        await unblock();
        await watch.result();
        return { what: `${plan.step} ended before its ${plan.child} ran`, missed: true };
      }
      if (killChild) victim = child;
    } else kill(runner, 'SIGSTOP');
    const landed = !watch.finished() && kill(victim, 'SIGKILL');
    if (!landed) await unblock();
    const result = await watch.result();
    if (!landed) return { what: `${plan.step} had finished`, missed: true };
    const who = victim === runner ? 'runner' : plan.child;
    const what = `${who} killed in ${plan.step}, run exit ${result.exitCode}`;
    // A killed runner has no exit status; a run whose child was killed fails and says so.
    const expected = victim === runner ? result.exitCode === -1 : result.exitCode === 1;
    return expected ? { what } : { what, wrong: `unexpected exit ${result.exitCode}` };
  } finally {
    await unblock();
  }
}

/** kill -9 of the runner in every step of a run, and separately of the child working in it. */
export function runKills(worldName: string): Fault[] {
  return RUN_STEPS.flatMap((plan) => [
    {
      name: `kill -9 runner in ${plan.label}`,
      world: worldName,
      inject: (world: World) => killInStep(world, plan, false),
    },
    ...(plan.child
      ? [
          {
            name: `kill -9 ${plan.child} in ${plan.label}`,
            world: worldName,
            inject: (world: World) => killInStep(world, plan, true),
          },
        ]
      : []),
  ]);
}

/** kill -9 of the runner, and of its restic, while check, verify or restore work. */
export function commandKills(worldName: string): Fault[] {
  const commands: {
    label: string;
    word: string;
    args: (world: World, dir: string) => string[];
  }[] = [
    { label: 'check', word: 'check', args: () => ['check', '--read-data'] },
    { label: 'verify', word: 'restore', args: () => ['verify'] },
    {
      label: 'restore',
      word: 'restore',
      args: (world, dir) => ['restore', '--to', world.work.path(dir)],
    },
  ];
  return commands.flatMap((command) =>
    (['runner', 'restic'] as const).map((victim): Fault => ({
      name: `kill -9 ${victim} in ${command.label}`,
      world: worldName,
      inject: async (world) => {
        const dir = `restored-after-${victim}`;
        const child = startCli([...command.args(world, dir), '-c', world.spec]);
        const runner = child.pid ?? 0;
        let ended = false;
        void child.then(() => (ended = true));
        const restic = await waitForChild(runner, 'restic', () => ended, command.word);
        if (restic === undefined) {
          await child;
          return { what: `${command.label} ended before its restic ran`, missed: true };
        }
        kill(victim === 'runner' ? runner : restic, 'SIGKILL');
        const done = await child;
        return {
          what: `${victim} killed in ${command.label}, exit ${done.exitCode ?? done.signal}`,
        };
      },
      // The same command again, into the same place: what the killed one left must not stop it.
      again: (world) => [
        { command: command.args(world, `restored-after-${victim}`), label: command.label },
      ],
    })),
  );
}
