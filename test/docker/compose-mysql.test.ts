import * as assert from 'node:assert/strict';
import { chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { ComposeProject } from '../support/docker/compose';
import { docker, dockerEnv, removeOwned } from '../support/docker/engine';
import type { Workdir } from '../support/runner-cli';
import { makeWorkdir, runCli, snapshots } from '../support/runner-cli';
import { freePort } from '../support/servers/ports';
import { waitForDaemonRuns } from './compose-helpers';

const BACKUP_PASSWORD = 'compose-backup-pw';

describe('examples/docker-compose/torrust-mysql: sidecar over the network, host runner with docker exec', () => {
  let work: Workdir;
  let project: ComposeProject;
  const sql = async (statement: string, database = 'torrust_tracker') =>
    (
      await project.check(
        ['exec', '-T', 'mysql', 'mariadb', '-uroot', '-N', '-B', database],
        statement,
      )
    ).stdout;

  before(async () => {
    work = await makeWorkdir('backup-yaml-compose-mysql-');
    // container_name is fixed in the example: a container left by an interrupted run goes first.
    await removeOwned(['torrust-mysql']);
    const toml = await readFile(
      'examples/docker-compose/torrust-mysql/tracker.toml.example',
      'utf8',
    );
    project = await ComposeProject.copy(
      'torrust-mysql',
      work.dir,
      {
        'restic-password': 'compose restic password\n',
        'mysql-root-password': 'compose-root-pw',
        'mysql-tracker-password': 'compose-tracker-pw',
        'mysql-backup-password': BACKUP_PASSWORD,
        'tracker.toml': toml.replace('CHANGE-ME', 'compose-tracker-pw'),
      },
      { TEST_MYSQL_PORT: String(await freePort()) },
    );
    await project.check(['up', '-d']);
    await sql(
      "INSERT INTO torrents (info_hash, completed) SELECT SHA1(seq), seq % 7 FROM seq_1_to_2000; INSERT INTO whitelist (info_hash) VALUES ('a'), ('b');",
    );
  });
  after(async () => {
    await project?.down();
    await work.cleanup();
  });

  test('the sidecar dumps over the network; the restored dump loads with the same counts and checksums', async () => {
    // The daemon's first run fails (no repository yet); init, then a run of ours.
    await waitForDaemonRuns(project, 1);
    await project.check(['exec', '-T', 'backup', 'backup-runner', 'init']);
    await project.check(['exec', '-T', 'backup', 'backup-runner', 'run']);
    await project.check(['stop', '-t', '10', 'backup']);
    const host = work.path('restored');
    await mkdir(host);
    await chown(host, 1000, 1000);
    await project.check([
      'run', '--rm', '--no-deps', '-v', `${host}:/restore`, 'backup',
      'restore', '--source', 'tracker-db', '--to', '/restore/dump',
    ]); // prettier-ignore
    const dump = await readFile(`${host}/dump/torrust_tracker.sql`, 'utf8');
    assert.ok(!dump.includes(BACKUP_PASSWORD));
    await sql('CREATE DATABASE scratch', 'mysql');
    await sql(dump, 'scratch');
    for (const table of ['torrents', 'whitelist', 'keys']) {
      const facts = async (database: string) =>
        [
          await sql(`SELECT COUNT(*) FROM \`${table}\``, database),
          (await sql(`CHECKSUM TABLE \`${database}\`.\`${table}\` EXTENDED`, database)).split(
            '\t',
          )[1],
        ].join(' ');
      assert.equal(await facts('scratch'), await facts('torrust_tracker'), table);
    }
  });

  test('the host runner backs up through docker exec into the container (backup.host.yaml)', async () => {
    const secrets = `${project.dir}/secrets`;
    const spec = (await readFile(`${project.dir}/backup.host.yaml`, 'utf8'))
      .replaceAll('/opt/torrust/secrets/', `${secrets}/`)
      .replaceAll('/opt/torrust/', `${project.dir}/`)
      .replaceAll('/var/backups/torrust/', work.path('host-backups/'));
    const specFile = work.path('backup.host.yaml');
    await writeFile(specFile, spec);
    assert.equal((await runCli(['init', '-c', specFile], dockerEnv())).exitCode, 0);
    const run = await runCli(['run', '-c', specFile, '--json'], dockerEnv());
    assert.equal(run.exitCode, 0, run.stdout + run.stderr);
    const repository = work.path('host-backups/restic');
    assert.equal((await snapshots(repository, `${secrets}/restic-password`)).length, 1);
    const inspect = (await docker(['inspect', 'torrust-mysql'])).stdout;
    assert.ok(!inspect.includes(BACKUP_PASSWORD), 'secrets are files, not environment values');
  });
});
