import * as assert from 'node:assert/strict';
import { chmod, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { parse, stringify } from 'yaml';
import type { DaemonStatus } from '../../runner/src/daemon/daemon-status';
import { repoRoot } from '../support/paths';
import { IMAGES, docker, ownedName, removeOwned } from '../support/docker/engine';
import type { Workdir } from '../support/runner-cli';
import { makeWorkdir } from '../support/runner-cli';

const EXAMPLE = `${repoRoot}/examples/docker-compose/torrust-sqlite`;
const STAGING = '/var/lib/backup-yaml/staging';

describe('the backup-runner image (docker/Dockerfile)', () => {
  let work: Workdir;
  const lib = ownedName('lib');
  const staging = ownedName('staging');
  const repository = ownedName('repo');
  const sidecar = ownedName('sidecar');
  const containers = [sidecar];
  /** docker run options of the sidecar: the example's volumes, spec and secret. */
  const mounts = (specDir: string) => [
    '--network=host',
    ...['-v', `${lib}:/var/lib/torrust/tracker`],
    ...['-v', `${EXAMPLE}/tracker.toml:/etc/torrust/tracker/tracker.toml:ro`],
    ...['-v', `${specDir}:/etc/backup-yaml:ro`],
    ...['-v', `${staging}:${STAGING}`],
    ...['-v', `${repository}:/var/lib/backup-yaml/repository`],
    ...['-v', `${work.path('secrets')}:/run/secrets:ro`],
  ];
  const runOnce = (args: string[]) =>
    docker(['run', '--rm', ...mounts(work.path('example')), IMAGES.runner, ...args]);
  const daemonStatus = async (): Promise<DaemonStatus | undefined> => {
    const read = await docker(['exec', sidecar, 'cat', `${STAGING}/backup-yaml.daemon.json`], {
      check: false,
    });
    return read.exitCode === 0 ? (JSON.parse(read.stdout) as DaemonStatus) : undefined;
  };
  const waitFor = async <T>(probe: () => Promise<T | undefined>, what: string): Promise<T> => {
    for (let attempt = 0; attempt < 1200; attempt++) {
      const value = await probe();
      if (value !== undefined) return value;
      await delay(100);
    }
    throw new Error(`never saw ${what}`);
  };

  before(async () => {
    work = await makeWorkdir('backup-yaml-sidecar-');
    await mkdir(work.path('secrets'));
    await writeFile(work.path('secrets', 'restic-password'), 'sidecar restic password\n');
    await chmod(work.path('secrets', 'restic-password'), 0o644);
    await mkdir(work.path('example'));
    await copyFile(`${EXAMPLE}/backup.yaml`, work.path('example', 'backup.yaml'));
    // The tracker stand-in creates its database in the volume, as the tracker would.
    const writer = ownedName('tracker');
    containers.push(writer);
    await docker(['run', '-d', '--name', writer, '--network=host', ...['-v', `${lib}:/var/lib/torrust/tracker`],
      ...['-v', `${EXAMPLE}/tracker.toml:/etc/torrust/tracker/tracker.toml:ro`], IMAGES.tracker]); // prettier-ignore
    await waitFor(async () => {
      const logs = await docker(['logs', writer]);
      return /committed 20 /.test(logs.stdout) ? true : undefined;
    }, 'the tracker writing');
    await docker(['stop', '-t', '5', writer]);
  });
  after(async () => {
    await removeOwned(containers, [lib, staging, repository]);
    await work.cleanup();
  });

  test('docker run with the example spec makes a snapshot, as uid 1000', async () => {
    await runOnce(['init']);
    const run = await runOnce(['run', '--json']);
    assert.match(run.stdout, /"type":"run-finished"[^\n]*"status":"ok"/);
    const listed = await runOnce(['snapshots', '--json']);
    assert.equal(
      listed.stdout
        .trim()
        .split('\n')
        .filter((l) => l.includes('"snapshot"')).length,
      1,
    );
    const user = await docker(['run', '--rm', '--entrypoint', 'id', IMAGES.runner, '-u']);
    assert.equal(user.stdout.trim(), '1000');
  });

  const health = async () =>
    (await docker(['inspect', '-f', '{{.State.Health.Status}}', sidecar])).stdout.trim();
  const becomes = (wanted: string) =>
    waitFor(async () => ((await health()) === wanted ? true : undefined), wanted);
  /** ls of the staging volume, from a throwaway container. */
  const stagingEntries = async () =>
    (await docker(['run', '--rm', '-v', `${staging}:/s`, '--entrypoint', 'ls', IMAGES.runner, '/s']))
      .stdout; // prettier-ignore
  // The daemon's spec: the example's, with a before hook that waits while a hold file exists and
  // says so in the holding file. Only that file tells a run is held: a run that started before the
  // hold was written may have passed the check already, or not.
  const hold = `${STAGING}/hold`;
  const holding = `${STAGING}/holding`;

  test('the daemon: two runs on a seconds schedule in the status file, healthy', async () => {
    const spec = parse(await readFile(`${EXAMPLE}/backup.yaml`, 'utf8')) as Record<string, unknown>;
    spec['hooks'] = {
      before: [['sh', '-c', `while [ -e ${hold} ]; do : > ${holding}; sleep 0.1; done`]],
    };
    await mkdir(work.path('held'));
    await writeFile(work.path('held', 'backup.yaml'), stringify(spec));
    await docker(['run', '-d', '--name', sidecar, '--health-interval=1s', '--health-retries=1',
      '--health-start-period=0s', ...mounts(work.path('held')), IMAGES.runner,
      'daemon', '--schedule', '*/2 * * * * *']); // prettier-ignore
    const two = await waitFor(async () => {
      const status = await daemonStatus();
      const ok = status?.recentRuns.filter((r) => r.status === 'ok') ?? [];
      return ok.length >= 2 ? status : undefined;
    }, 'two runs in the daemon status file');
    assert.equal(two.schedule, '*/2 * * * * *');
    await becomes('healthy');
  });

  test('docker stop during a run: the daemon cancels it and exits 0, no lock or partial run left', async () => {
    await docker(['exec', sidecar, 'touch', hold]);
    await waitFor(async () => {
      const held = await docker(['exec', sidecar, 'test', '-e', holding], { check: false });
      return held.exitCode === 0 ? true : undefined;
    }, 'a run held in its before hook');
    // What the extension runs for a sidecar: `docker exec -i <container> backup-runner ...`
    // (now, while the run waits in its before hook and holds no repository lock).
    const listed = await docker(['exec', '-i', sidecar, 'backup-runner', 'snapshots', '--json']);
    assert.match(listed.stdout, /"type":"snapshot"/);
    await docker(['stop', '-t', '10', sidecar]);
    const state = await docker(['inspect', '-f', '{{.State.ExitCode}}', sidecar]);
    assert.equal(
      state.stdout.trim(),
      '0',
      'the daemon exited by itself, not killed at the timeout',
    );
    const left = await stagingEntries();
    assert.ok(!left.includes('backup-yaml.lock') && !/\.partial/.test(left), left);
  });

  test('the next start recovers; HEALTHCHECK turns unhealthy when runs fail, healthy again after', async () => {
    await docker(['run', '--rm', '-u', '0', '-v', `${staging}:/s`, '--entrypoint', 'rm',
      IMAGES.runner, '-f', '/s/hold', '/s/holding']); // prettier-ignore
    const restarted = new Date().toISOString();
    await docker(['start', sidecar]);
    await waitFor(async () => {
      const status = await daemonStatus();
      const ok = status?.recentRuns.find((r) => r.startedAt > restarted && r.status === 'ok');
      return ok ? true : undefined;
    }, 'a successful run after the restart');
    // A wrong repository password: runs fail, `status --strict` fails, Docker marks it unhealthy.
    await writeFile(work.path('secrets', 'restic-password'), 'not the password\n');
    await becomes('unhealthy');
    await writeFile(work.path('secrets', 'restic-password'), 'sidecar restic password\n');
    await becomes('healthy');
  });
});
