import * as assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { filesSpec, makeStack } from '../support/demo-stack';
import type { RestServer, Sshd } from '../support/servers/index';
import { startRestServer, startSshd } from '../support/servers/index';
import type { Workdir } from '../support/runner-cli';
import { finished, makeWorkdir, runCli } from '../support/runner-cli';

describe('remote restic targets', () => {
  let work: Workdir;
  let stack: Awaited<ReturnType<typeof makeStack>>;
  let sshd: Sshd;
  let rest: RestServer;

  before(async () => {
    work = await makeWorkdir();
    stack = await makeStack(work);
    [sshd, rest] = await Promise.all([startSshd(), startRestServer({ auth: true })]);
  });
  after(async () => {
    await Promise.all([sshd?.stop(), rest?.stop()]);
    await work.cleanup();
  });

  test('sftp: through the test sshd, with restic options from the spec', async () => {
    const spec = await work.writeSpec(
      filesSpec(stack, {
        targets: {
          nas: {
            repository: sshd.resticRepository(`${sshd.dataDir}/restic`),
            password_file: stack.passwordFile,
            options: { 'sftp.command': sshd.resticSftpCommand },
          },
        },
        retention: { keep_last: 3 },
      }),
      'sftp.yaml',
    );
    assert.equal((await runCli(['init', '-c', spec])).exitCode, 0);
    const result = await runCli(['run', '-c', spec, '--json']);
    assert.equal(result.exitCode, 0, result.stdout.slice(-1500));
    const [snapshot] = finished(result).snapshots;
    assert.equal(snapshot?.target, 'nas');
    assert.match(snapshot?.snapshotId ?? '', /^[0-9a-f]{8}$/);
  });

  test('rest: rclone serve restic with basic auth, credentials given by reference, never in the spec', async () => {
    const credentials = rest.credentials;
    assert.ok(credentials);
    const passwordFile = work.path('rest.pw');
    await writeFile(passwordFile, `${credentials.password}\n`, { mode: 0o600 });
    const spec = await work.writeSpec(
      filesSpec(stack, {
        targets: {
          rest: {
            repository: rest.repositoryUrl('torrust'),
            password_file: stack.passwordFile,
            env: {
              RESTIC_REST_USERNAME: { env: 'TEST_REST_USER' },
              RESTIC_REST_PASSWORD: { file: passwordFile },
            },
          },
        },
      }),
      'rest.yaml',
    );
    const env = { TEST_REST_USER: credentials.username };
    const validate = await runCli(['validate', spec]);
    assert.equal(validate.exitCode, 0, validate.stdout);
    assert.equal((await runCli(['init', '-c', spec], env)).exitCode, 0);
    const result = await runCli(['run', '-c', spec, '--json'], env);
    assert.equal(result.exitCode, 0, result.stdout.slice(-1500));
    assert.ok(!result.stdout.includes(credentials.password), 'the REST password is in no event');
    const withoutUser = await runCli(['run', '-c', spec, '--json']);
    assert.equal(finished(withoutUser).error?.code, 'secret-unavailable');
  });
});
