import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { command, extensionApi, fixture, hostId, RecordingPrompts, setHosts } from './support';

const f = fixture();

describe('a host that cannot be reached says what to do', function () {
  this.timeout(60_000);
  let prompts: RecordingPrompts;

  before(async () => {
    await vscode.workspace
      .getConfiguration('backupYaml')
      .update('ssh.configFile', f.sshConfigFile, vscode.ConfigurationTarget.Global);
    await setHosts([
      { host: f.badHostKey, spec: f.host.spec },
      { host: f.badKey, spec: f.host.spec },
      { host: f.badPort, spec: f.host.spec },
    ]);
    prompts = new RecordingPrompts();
    (await extensionApi()).setPrompts(prompts);
  });

  const cases: [string, () => string, string, RegExp][] = [
    [
      'an unknown host key',
      () => f.badHostKey,
      'host-key-unknown',
      /connect once in a terminal: ssh backup-test-unknown-hostkey/,
    ],
    [
      'a key the host refuses',
      () => f.badKey,
      'auth-refused',
      /refused your key.*ssh-copy-id backup-test-refused-key/,
    ],
    [
      'a closed port',
      () => f.badPort,
      'unreachable',
      /cannot reach backup-test-closed-port: .*Connection refused/,
    ],
  ];
  for (const [what, alias, code, message] of cases)
    it(`${what}: ${code}`, async () => {
      const result = await command('backupYaml.showStatus', hostId(alias(), f.host.spec));
      assert.equal(result.ok, false);
      assert.ok(!result.ok);
      assert.equal(result.error.code, code, JSON.stringify(result.error));
      const shown = prompts.shown.at(-1);
      assert.equal(shown?.level, 'error');
      assert.match(shown.message, message);
    });
});
