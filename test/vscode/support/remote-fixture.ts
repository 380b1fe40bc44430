// The hosts the remote extension-host suite and the UI smoke test talk to: real sshd servers on
// 127.0.0.1 (keys, known_hosts and an ssh_config with Host aliases generated here), each with a
// HOME of its own so what the extension uploads stays in the test's directory, and a small
// Torrust-like stack (SQLite database, config files) with a real restic repository.
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { stringify } from 'yaml';
import { freePort, startSshd } from '../../support/servers/index';
import type { Sshd } from '../../support/servers/index';
import { runCli } from '../../support/runner-cli';

/** What the suite in the extension host reads (BACKUP_YAML_REMOTE_FIXTURE names its file). */
export interface RemoteFixture {
  sshConfigFile: string;
  /** The host with Node 20 on its PATH and no backup-runner: gets the JS runner uploaded. */
  host: {
    alias: string;
    home: string;
    spec: string;
    staging: string;
    database: string;
    /** The files source's directory (etc/tracker.toml, .env). */
    app: string;
  };
  /** Specs on the main host whose target cannot be read: a wrong password, no repository. */
  wrongPasswordSpec: string;
  noRepositorySpec: string;
  /** The host whose PATH has no node: gets the self-contained runner. */
  noNode: { alias: string; home: string; spec: string };
  repository: string;
  passwordFile: string;
  /** Aliases that fail: a host key not in known_hosts, a key the server refuses, a closed port. */
  badHostKey: string;
  badKey: string;
  badPort: string;
}

export interface RemoteHosts {
  fixture: RemoteFixture;
  fixtureFile: string;
  stop(): Promise<void>;
}

export async function startRemoteHosts(
  options: { beforeHook?: string[] } = {},
): Promise<RemoteHosts> {
  const dir = await mkdtemp(join(tmpdir(), 'backup-yaml-remote-'));
  const servers: Sshd[] = [];
  try {
    const home = join(dir, 'host-home');
    const noNodeHome = join(dir, 'nonode-home');
    await mkdir(home, { recursive: true });
    await mkdir(noNodeHome, { recursive: true });
    await pathWithoutNode(join(dir, 'nonode-bin'), noNodeHome);
    servers.push(await startSshd({ sessionEnv: { HOME: home }, hostAlias: 'backup-test-host' }));
    servers.push(
      await startSshd({ sessionEnv: { HOME: noNodeHome }, hostAlias: 'backup-test-nonode' }),
    );
    const [main, noNode] = servers as [Sshd, Sshd];

    const stack = await makeStack(dir);
    const spec = join(home, 'backup.yaml');
    const staging = join(dir, 'staging');
    await writeFile(spec, stringify(trackerSpec(stack, staging, 'tracker', options.beforeHook)));
    const noNodeSpec = join(noNodeHome, 'backup.yaml');
    await writeFile(
      noNodeSpec,
      stringify(trackerSpec(stack, join(dir, 'staging-nonode'), 'tracker-nonode')),
    );
    const wrongPasswordSpec = join(home, 'wrong-password.backup.yaml');
    const wrongPasswordFile = join(dir, 'wrong.pw');
    await writeFile(wrongPasswordFile, 'not the password\n', { mode: 0o600 });
    await writeFile(
      wrongPasswordSpec,
      stringify(
        trackerSpec(
          { ...stack, passwordFile: wrongPasswordFile },
          join(dir, 'staging-wrong'),
          'tracker',
        ),
      ),
    );
    const noRepositorySpec = join(home, 'no-repository.backup.yaml');
    await writeFile(
      noRepositorySpec,
      stringify(
        trackerSpec(
          { ...stack, repository: join(dir, 'no-repo') },
          join(dir, 'staging-norepo'),
          'tracker',
        ),
      ),
    );
    const init = await runCli(['init', '-c', spec]);
    if (init.exitCode !== 0) throw new Error(`restic init failed: ${init.stderr}`);

    const sshConfigFile = join(dir, 'ssh_config');
    await writeFile(sshConfigFile, await sshConfig(dir, main, servers));
    const fixture: RemoteFixture = {
      sshConfigFile,
      host: {
        alias: main.hostAlias,
        home,
        spec,
        staging,
        database: stack.database,
        app: stack.app,
      },
      wrongPasswordSpec,
      noRepositorySpec,
      noNode: { alias: noNode.hostAlias, home: noNodeHome, spec: noNodeSpec },
      repository: stack.repository,
      passwordFile: stack.passwordFile,
      badHostKey: 'backup-test-unknown-hostkey',
      badKey: 'backup-test-refused-key',
      badPort: 'backup-test-closed-port',
    };
    const fixtureFile = join(dir, 'fixture.json');
    await writeFile(fixtureFile, JSON.stringify(fixture));
    return {
      fixture,
      fixtureFile,
      stop: async () => {
        await Promise.all(servers.map((server) => server.stop()));
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.all(servers.map((server) => server.stop()));
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The host's login shell (bash reads ~/.bashrc for ssh commands) gets a PATH without node. */
async function pathWithoutNode(bin: string, home: string): Promise<void> {
  await mkdir(bin, { recursive: true });
  for (const dir of ['/usr/local/bin', '/usr/bin', '/bin', '/usr/sbin', '/sbin'])
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (/^(node|nodejs|npm|npx|corepack)$/.test(name)) continue;
      await symlink(join(dir, name), join(bin, name)).catch(() => undefined);
    }
  await writeFile(join(home, '.bashrc'), `export PATH=${bin}\n`);
}

async function makeStack(dir: string) {
  const app = join(dir, 'app');
  await mkdir(join(app, 'etc'), { recursive: true });
  await writeFile(join(app, 'etc', 'tracker.toml'), '[core]\nlisten = "0.0.0.0:6969"\n');
  await writeFile(join(app, '.env'), 'TRACKER_TOKEN=abc\n', { mode: 0o600 });
  const database = join(dir, 'tracker.db');
  // Rollback-journal mode: a writer's exclusive lock then holds the snapshot mid-dump.
  await execa('sqlite3', [
    database,
    'PRAGMA journal_mode=DELETE; CREATE TABLE torrents(id INTEGER PRIMARY KEY, info_hash TEXT); INSERT INTO torrents(info_hash) VALUES (hex(randomblob(20))), (hex(randomblob(20)));',
  ]);
  const passwordFile = join(dir, 'restic.pw');
  await writeFile(passwordFile, 'correct horse battery staple\n', { mode: 0o600 });
  return { app, database, passwordFile, repository: join(dir, 'repo') };
}

export function trackerSpec(
  stack: { app: string; database: string; passwordFile: string; repository: string },
  staging: string,
  name: string,
  beforeHook?: string[],
): Record<string, unknown> {
  return {
    version: 1,
    name,
    host: name,
    sources: {
      'tracker-db': { type: 'sqlite', path: stack.database, busy_timeout: '10m' },
      config: { type: 'files', paths: [stack.app] },
    },
    staging: { dir: staging },
    targets: { local: { repository: stack.repository, password_file: stack.passwordFile } },
    ...(beforeHook ? { hooks: { before: [beforeHook] } } : {}),
  };
}

/** The servers' own blocks, then the main one three times more with one thing wrong each. */
async function sshConfig(dir: string, main: Sshd, servers: Sshd[]): Promise<string> {
  const blocks = await Promise.all(servers.map((server) => readFile(server.configFile, 'utf8')));
  const mainBlock = await readFile(main.configFile, 'utf8');
  const emptyKnownHosts = join(dir, 'empty_known_hosts');
  await writeFile(emptyKnownHosts, '');
  const otherKey = join(dir, 'unauthorised_key');
  await execa('ssh-keygen', [
    '-q',
    '-t',
    'ed25519',
    '-N',
    '',
    '-C',
    'unauthorised',
    '-f',
    otherKey,
  ]);
  const closedPort = await freePort();
  const variant = (alias: string, setting: string, value: string) =>
    mainBlock
      .replace(`Host ${main.hostAlias}`, `Host ${alias}`)
      .split('\n')
      .map((line) => (line.trim().startsWith(`${setting} `) ? `  ${setting} ${value}` : line))
      .join('\n');
  return [
    ...blocks,
    variant('backup-test-unknown-hostkey', 'UserKnownHostsFile', emptyKnownHosts),
    variant('backup-test-refused-key', 'IdentityFile', otherKey),
    variant('backup-test-closed-port', 'Port', String(closedPort)),
  ].join('\n');
}
