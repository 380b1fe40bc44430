import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import { isPortOpen } from '../support/servers/ports';
import { isProcessAlive } from '../support/servers/process';
import { startRestServer } from '../support/servers/rest-server';
import type { RestServer } from '../support/servers/rest-server';

const resticPassword = 'rest-test-repository-password';

/** restic with the repository URL in RESTIC_REPOSITORY, so credentials in it stay out of argv. */
const restic = (repository: string, args: string[], input = '') =>
  execa('restic', args, {
    env: { RESTIC_REPOSITORY: repository, RESTIC_PASSWORD: resticPassword },
    input,
    reject: false,
  });

describe('startRestServer', () => {
  let open: RestServer;
  let locked: RestServer;
  before(async () => {
    [open, locked] = await Promise.all([startRestServer(), startRestServer({ auth: true })]);
  });
  after(() => Promise.all([open.stop(), locked.stop()]));

  test('restic 0.14 inits a repository at the rest: URL, backs up and lists snapshots', async () => {
    assert.match(open.url, /^rest:http:\/\/127\.0\.0\.1:\d+\/$/);
    const init = await restic(open.url, ['init']);
    assert.equal(init.exitCode, 0, init.stderr);
    assert.ok(existsSync(join(open.dataDir, 'config')), 'the repository is in the server dir');
    const backup = await restic(open.url, ['backup', '--stdin'], 'hello\n');
    assert.equal(backup.exitCode, 0, backup.stderr);
    const snapshots = await restic(open.url, ['snapshots', '--json']);
    assert.equal(snapshots.exitCode, 0, snapshots.stderr);
    assert.equal((JSON.parse(snapshots.stdout) as unknown[]).length, 1);
  });

  test('repositories under their own path live side by side', async () => {
    const url = open.repositoryUrl('second');
    const init = await restic(url, ['init']);
    assert.equal(init.exitCode, 0, init.stderr);
    assert.ok(existsSync(join(open.dataDir, 'second', 'config')));
  });

  test('with auth: the URL with credentials works; without them or with a wrong password, 401', async () => {
    const { credentials } = locked;
    assert.ok(credentials);
    const init = await restic(locked.authenticatedUrl, ['init']);
    assert.equal(init.exitCode, 0, init.stderr);
    assert.doesNotMatch(init.stdout, new RegExp(credentials.password), 'restic masks it');
    const snapshots = await restic(locked.authenticatedUrl, ['snapshots']);
    assert.equal(snapshots.exitCode, 0, snapshots.stderr);

    const anonymous = await restic(locked.url, ['snapshots']);
    assert.notEqual(anonymous.exitCode, 0);
    assert.match(anonymous.stderr, /401/);
    const wrong = await restic(
      locked.url.replace('http://', `http://${credentials.username}:nope@`),
      ['snapshots'],
    );
    assert.notEqual(wrong.exitCode, 0);
    assert.match(wrong.stderr, /401/);
  });

  test('the password is not in the argv of rclone', async () => {
    const cmdline = await readFile(`/proc/${locked.pid}/cmdline`, 'utf8');
    assert.match(cmdline, /serve\0restic/);
    assert.ok(!cmdline.includes(locked.credentials?.password ?? '?'));
  });

  test('stop() ends rclone by PID and closes its port', async () => {
    const other = await startRestServer();
    assert.ok(isProcessAlive(other.pid));
    assert.ok(await isPortOpen(other.port));
    await other.stop();
    assert.equal(isProcessAlive(other.pid), false, 'the PID is gone');
    assert.equal(await isPortOpen(other.port), false, 'the port is closed');
    assert.equal(existsSync(other.dataDir), false, 'its files are removed');
  });
});
