// The extension's logic that needs no editor: what a run's events make of the progress
// notification, which runner a host gets, and what ssh's failures are told as. The same code
// runs in the real VS Code suites (test/vscode); these pin the cases those cannot reach.
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RunProgress } from '../../client/src/run-progress';
import type { RunnerArtifacts } from '../../client/src/runner-artifacts';
import { chooseArtifact, parseFacts } from '../../client/src/runner-locator';
import { shellLine } from '../../client/src/shell-words';
import { classifySshFailure } from '../../client/src/ssh-errors';

describe('RunProgress', () => {
  const step = (id: string, skip?: string) => ({
    id,
    title: `do ${id}`,
    commands: [],
    ...(skip ? { skip } : {}),
  });
  test('percent over the steps that run, the current step with its bytes', () => {
    const progress = new RunProgress();
    progress.apply({
      type: 'run-started',
      protocol: 1,
      runId: 'r',
      name: 'n',
      spec: 's',
      host: 'h',
      dryRun: false,
      at: '',
      steps: [step('lock'), step('dump:db'), step('check', 'not due'), step('backup:local')],
    });
    assert.equal(progress.percent, 0);
    progress.apply({ type: 'step-started', runId: 'r', step: 'lock', title: 'lock', at: '' });
    progress.apply({
      type: 'step-finished',
      runId: 'r',
      step: 'lock',
      status: 'ok',
      durationMs: 1,
    });
    progress.apply({ type: 'step-started', runId: 'r', step: 'dump:db', title: 'dump db', at: '' });
    assert.ok(
      progress.apply({
        type: 'step-progress',
        runId: 'r',
        step: 'dump:db',
        bytesDone: 50,
        bytesTotal: 100,
      }),
    );
    assert.equal(progress.percent, 50, 'one of three steps done, the second half');
    assert.equal(progress.message, 'dump db 50 %');
    assert.equal(
      progress.apply({ type: 'step-progress', runId: 'r', step: 'dump:db', bytesDone: 7 }),
      false,
      'no total, nothing to show',
    );
  });
});

describe('which runner a host gets', () => {
  const artifacts = {
    version: '0.1.0',
    js: { flavour: 'js', path: '', sha256: 'a', bytes: 1, cacheName: '0.1.0-a-js' },
    sea: { flavour: 'sea', path: '', sha256: 'b', bytes: 2, cacheName: '0.1.0-b-sea' },
  } satisfies RunnerArtifacts;
  const facts = (lines: string[]) => parseFacts(lines);
  test('Node 20 on Linux x86_64: the JS bundle; another Node or none: the executable', () => {
    const node20 = chooseArtifact(facts(['os=Linux', 'arch=x86_64', 'node=20.19.1']), artifacts);
    assert.equal(node20.ok && node20.value.flavour, 'js');
    const node22 = chooseArtifact(facts(['os=Linux', 'arch=x86_64', 'node=22.3.0']), artifacts);
    assert.equal(node22.ok && node22.value.flavour, 'sea');
    const none = chooseArtifact(facts(['os=Linux', 'arch=x86_64', 'node=']), artifacts);
    assert.equal(none.ok && none.value.flavour, 'sea');
  });
  test('another architecture: a message naming what to install', () => {
    const arm = chooseArtifact(facts(['os=Linux', 'arch=aarch64', 'node=20.1.0']), artifacts);
    assert.ok(!arm.ok);
    assert.equal(arm.error.code, 'other-arch');
    assert.match(arm.error.message, /Linux on aarch64.*Linux x86_64 only/);
    assert.match(arm.error.hint ?? '', /install backup-runner on the host/);
  });
  test('the connect script’s report, including a PATH runner and the cache', () => {
    const parsed = facts([
      'os=Linux',
      'arch=x86_64',
      'node=',
      'cache=/home/u/.cache/backup-yaml/runner',
      'cached=0.1.0-b-sea',
      'path-runner={"type":"version","version":"0.0.9","protocol":0}',
      'serving=none',
    ]);
    assert.equal(parsed.node, undefined);
    assert.deepEqual(parsed.cached, ['0.1.0-b-sea']);
    assert.equal(parsed.pathRunner?.protocol, 0);
    assert.equal(parsed.serving, 'none');
  });
});

describe('ssh failures say what to do', () => {
  test('a changed host key is not an unknown one', () => {
    const error = classifySshFailure(
      'prod',
      '@@@ WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! @@@\nHost key verification failed.',
      255,
    );
    assert.equal(error?.code, 'host-key-changed');
  });
  test('a server that only offers passwords: password-prompt, with how to set up a key', () => {
    const error = classifySshFailure(
      'prod',
      'root@10.0.0.5: Permission denied (publickey,password).',
      255,
    );
    assert.equal(error?.code, 'password-prompt');
    assert.match(error?.hint ?? '', /ssh-copy-id prod/);
  });
  test('no ssh client: ssh-missing, naming the package and the setting', () => {
    const enoent = Object.assign(new Error('spawn ssh ENOENT'), { code: 'ENOENT' });
    const error = classifySshFailure('prod', '', undefined, enoent);
    assert.equal(error?.code, 'ssh-missing');
    assert.match(error?.hint ?? '', /openssh-client.*backupYaml\.ssh\.path/);
  });
  test('sudo that wants a password', () => {
    assert.equal(
      classifySshFailure('prod', 'sudo: a password is required', 1)?.code,
      'sudo-password',
    );
  });
  test('a remote command that fails on its own is not an ssh failure', () => {
    assert.equal(classifySshFailure('prod', 'backup-runner: cannot read the spec', 2), undefined);
  });
});

describe('remote command lines', () => {
  test('each word is quoted for the host’s shell', () => {
    assert.equal(
      shellLine(['status', '-c', "/srv/my backups/it's.yaml", '$HOME']),
      "status -c '/srv/my backups/it'\\''s.yaml' '$HOME'",
    );
  });
});
