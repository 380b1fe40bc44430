import * as assert from 'node:assert/strict';
import { chown, mkdir } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { ComposeProject } from '../support/docker/compose';
import { docker } from '../support/docker/engine';
import type { Workdir } from '../support/runner-cli';
import { makeWorkdir, toResult } from '../support/runner-cli';
import { commitsBefore, waitForDaemonRuns } from './compose-helpers';

describe('examples/docker-compose/torrust-sqlite: the tracker writing, the sidecar backing up', () => {
  let work: Workdir;
  let project: ComposeProject;
  let restoredMax = 0;

  before(async () => {
    work = await makeWorkdir('backup-yaml-compose-sqlite-');
    project = await ComposeProject.copy('torrust-sqlite', work.dir, {
      'restic-password': 'compose restic password\n',
    });
    await project.check(['run', '--rm', 'backup', 'init']);
    await project.check(['up', '-d']);
  });
  after(async () => {
    await project?.down();
    await work.cleanup();
  });

  test('a snapshot under ~50 tx/s holds every row committed before it began and passes integrity_check', async () => {
    // The daemon's catch-up run at start (no run recorded yet) comes first; then one of ours.
    await waitForDaemonRuns(project, 1);
    const run = await project.compose(['exec', '-T', 'backup', 'backup-runner', 'run', '--json']);
    const result = toResult(run.exitCode, run.stdout, run.stderr);
    assert.equal(result.exitCode, 0, run.stdout + run.stderr);
    const dumpStarted = result.records.find(
      (r) => r.type === 'step-started' && r.step === 'dump:tracker-db',
    );
    assert.ok(dumpStarted?.type === 'step-started');
    const logs = await project.check(['logs', '--no-color', 'tracker']);
    const committed = commitsBefore(logs.stdout, Date.parse(dumpStarted.at));
    assert.ok(committed > 100, `the writer had committed ${committed} rows`);

    // Restores run in a one-off container with the scheduler stopped, so no backup runs meanwhile
    // (and Compose v1 refuses a one-off container on host networking beside a running one).
    await project.check(['stop', '-t', '10', 'backup']);
    const host = work.path('restored');
    await mkdir(host);
    await chown(host, 1000, 1000);
    await project.check([
      'run', '--rm', '--no-deps', '-v', `${host}:/restore`, 'backup',
      'restore', '--source', 'tracker-db', '--to', '/restore/copy',
    ]); // prettier-ignore
    const db = new Database(`${host}/copy/sqlite3.db`, { readonly: true });
    try {
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      const upTo = db.prepare('SELECT COUNT(*) AS n FROM torrents WHERE id <= ?').get(committed);
      assert.deepEqual(upTo, { n: committed }, 'every row committed before the snapshot began');
      restoredMax = (db.prepare('SELECT MAX(id) AS m FROM torrents').get() as { m: number }).m;
    } finally {
      db.close();
    }
  });

  test('restore in place with the tracker stopped: the tracker goes on from the snapshot', async () => {
    assert.ok(restoredMax > 0, 'needs the snapshot of the test before');
    await project.check(['stop', '-t', '5', 'tracker']);
    // The sidecar cannot see the tracker's processes: without `--app-stopped` (the user says the
    // app is stopped) the runner refuses, and nothing is changed.
    const blind = await project.compose([
      'run', '--rm', '--no-deps', 'backup', 'restore', '--source', 'tracker-db', '--in-place',
    ]); // prettier-ignore
    assert.notEqual(blind.exitCode, 0);
    assert.match(blind.stdout + blind.stderr, /own PID namespace.*--app-stopped/s);
    await project.check([
      'run', '--rm', '--no-deps', 'backup', 'restore', '--source', 'tracker-db', '--in-place',
      '--app-stopped',
    ]); // prettier-ignore
    const since = new Date().toISOString();
    await project.check(['start', 'tracker']);
    const container = `${project.project}_tracker_1`;
    let first: number | undefined;
    for (let attempt = 0; attempt < 600 && first === undefined; attempt++) {
      const logs = await docker(['logs', '--since', since, container]);
      first = Number(/^committed (\d+) /m.exec(logs.stdout)?.[1] ?? NaN) || undefined;
      if (first === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(first, restoredMax + 1, 'the next row follows the restored ones');
  });
});
