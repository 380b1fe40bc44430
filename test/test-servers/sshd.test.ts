import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import { isPortOpen } from '../support/servers/ports';
import { isProcessAlive } from '../support/servers/process';
import { startSshd } from '../support/servers/sshd';
import type { Sshd } from '../support/servers/sshd';

const resticPassword = 'sshd-test-repository-password';

describe('startSshd', () => {
  let sshd: Sshd;
  before(async () => {
    sshd = await startSshd();
  });
  after(() => sshd.stop());

  test('ssh logs in with the generated key and a strict known_hosts (through the config file)', async () => {
    const [ssh, ...args] = sshd.sshArgv;
    const result = await execa(ssh as string, [...args, 'echo', 'hello'], { reject: false });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stdout, 'hello');
  });

  test('ssh logs in with the raw options too (port, identity, known_hosts)', async () => {
    const result = await execa(
      'ssh',
      [
        '-F',
        '/dev/null',
        '-o',
        'BatchMode=yes',
        '-o',
        'IdentitiesOnly=yes',
        '-o',
        'StrictHostKeyChecking=yes',
        '-o',
        `UserKnownHostsFile=${sshd.knownHostsFile}`,
        '-i',
        sshd.identityFile,
        '-p',
        String(sshd.port),
        `${sshd.user}@${sshd.host}`,
        'true',
      ],
      { reject: false },
    );
    assert.equal(result.exitCode, 0, result.stderr);
  });

  test('a client without the key is refused', async () => {
    const result = await execa(
      'ssh',
      [
        '-F',
        '/dev/null',
        '-o',
        'BatchMode=yes',
        '-o',
        'IdentitiesOnly=yes',
        '-o',
        'IdentityAgent=none',
        '-o',
        `UserKnownHostsFile=${sshd.knownHostsFile}`,
        '-i',
        '/dev/null',
        '-p',
        String(sshd.port),
        `${sshd.user}@${sshd.host}`,
        'true',
      ],
      { reject: false },
    );
    assert.equal(result.exitCode, 255);
    assert.match(result.stderr, /Permission denied/);
  });

  test('restic 0.14 inits a repository over sftp through it and lists its snapshots', async () => {
    const repository = sshd.resticRepository(join(sshd.dataDir, 'repo'));
    const restic = (args: string[], input = '') =>
      execa('restic', ['--repo', repository, ...sshd.resticOptions, ...args], {
        env: { RESTIC_PASSWORD: resticPassword },
        input,
        reject: false,
      });
    const init = await restic(['init']);
    assert.equal(init.exitCode, 0, init.stderr);
    assert.ok(existsSync(join(sshd.dataDir, 'repo', 'config')), 'the repository is on the server');
    const backup = await restic(['backup', '--stdin', '--stdin-filename', 'hello.txt'], 'hello\n');
    assert.equal(backup.exitCode, 0, backup.stderr);
    const snapshots = await restic(['snapshots', '--json']);
    assert.equal(snapshots.exitCode, 0, snapshots.stderr);
    assert.equal((JSON.parse(snapshots.stdout) as unknown[]).length, 1);
  });

  test('stop() ends sshd by PID and closes its port', async () => {
    const other = await startSshd();
    assert.ok(isProcessAlive(other.pid));
    assert.ok(await isPortOpen(other.port));
    await other.stop();
    assert.equal(isProcessAlive(other.pid), false, 'the PID is gone');
    assert.equal(await isPortOpen(other.port), false, 'the port is closed');
    assert.equal(existsSync(other.identityFile), false, 'the keys are removed');
  });
});
