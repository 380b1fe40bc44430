import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../support/runner-cli';
import type { MariaDb, Postgres, RestServer, Sshd } from '../support/servers/index';
import { startMariaDb, startPostgres, startRestServer, startSshd } from '../support/servers/index';
import { fullDisks } from './faults/disks';
import { commandKills, runKills } from './faults/kills';
import { staleLocks } from './faults/locks';
import { blackHoles } from './faults/network';
import { badSources } from './faults/sources';
import { hostileSpecs } from './faults/specs';
import type { Fault } from './support/fault';
import { printTable } from './support/table';
import type { Row } from './support/table';
import { snapshotsOf, survive } from './support/survival';
import type { World } from './support/world';
import { disksWorld, offsiteWorld, trackerWorld } from './support/world';

/** A kill meant for a step that was over before it landed is tried again, this many times. */
const ATTEMPTS = 3;
/** FAULTS_ONLY=<regex> tries only the faults whose name matches (while working on one). */
const only = process.env['FAULTS_ONLY'] ? new RegExp(process.env['FAULTS_ONLY']) : undefined;

/**
 * The fault matrix (issue 10): every fault class the runner must survive, against real restic,
 * sqlite3, MariaDB, PostgreSQL, sshd and rclone. After each fault the next run succeeds with no manual
 * step, no snapshot is lost, the newest snapshot of every target restores and passes its checks,
 * and nothing is left behind. Four independent stacks ("worlds") take their faults side by side.
 */
describe('fault matrix', { concurrency: 4 }, () => {
  let db: MariaDb;
  let pg: Postgres;
  let sshd: Sshd;
  let rest: RestServer;
  const worlds = new Map<string, World>();
  const rows: Row[] = [];

  before(async () => {
    [db, pg, sshd, rest] = await Promise.all([
      startMariaDb(),
      startPostgres(),
      startSshd(),
      startRestServer(),
    ]);
    const made = await Promise.all([
      // tracker-a, where each step of a run is killed, also has a PostgreSQL source.
      trackerWorld('tracker-a', db, pg),
      trackerWorld('tracker-b', db),
      disksWorld(),
      offsiteWorld(sshd, rest),
    ]);
    // Two good snapshots to lose, before any fault; the worlds are made side by side.
    await Promise.all(
      made.map(async (world) => {
        worlds.set(world.name, world);
        for (let i = 0; i < 2; i++) {
          await world.change();
          const result = await runCli(['run', '-c', world.spec, '--json']);
          assert.equal(result.exitCode, 0, `${world.name}: ${result.stdout.slice(-2000)}`);
        }
      }),
    );
  });
  after(async () => {
    printTable(rows);
    for (const world of worlds.values()) await world.cleanup();
    await Promise.all([db?.stop(), pg?.stop(), sshd?.stop(), rest?.stop()]);
  });

  const plan: [string, () => Fault[]][] = [
    ['tracker-a', () => runKills('tracker-a')],
    [
      'tracker-b',
      () => [
        ...commandKills('tracker-b'),
        ...staleLocks('tracker-b'),
        ...badSources('tracker-b'),
        hostileSpecs('tracker-b'),
      ],
    ],
    ['disks', () => fullDisks('disks')],
    ['offsite', () => blackHoles('offsite', { sftp: sshd.pid, rest: rest.pid })],
  ];

  for (const [name, faults] of plan) {
    test(`${name}: every fault survived`, async (t) => {
      const world = worlds.get(name);
      assert.ok(world, name);
      for (const fault of faults().filter((f) => !only || only.test(f.name))) {
        await t.test(fault.name, async () => {
          const row = await tryFault(world, fault);
          rows.push(row);
          assert.ok(row.survived, `${fault.name}: ${row.effect}; ${row.problems.join('; ')}`);
        });
      }
    });
  }
});

async function tryFault(world: World, fault: Fault): Promise<Row> {
  let effect = { what: '', missed: true } as Awaited<ReturnType<Fault['inject']>>;
  let survival = { survived: false, lost: 0, problems: ['not tried'] };
  let attempts = 0;
  while (attempts < ATTEMPTS) {
    attempts++;
    const before = await snapshotsOf(world);
    effect = await fault.inject(world);
    survival = await survive(world, before, fault.again?.(world) ?? []);
    if (!effect.missed) break;
  }
  const problems = [
    ...(effect.missed ? [`the fault never landed (${attempts} attempts)`] : []),
    ...(effect.wrong ? [effect.wrong] : []),
    ...survival.problems,
  ];
  return {
    fault: fault.name,
    world: world.name,
    effect: `${effect.what}${attempts > 1 ? ` (attempt ${attempts})` : ''}`,
    survived: problems.length === 0,
    lost: survival.lost,
    problems,
  };
}
