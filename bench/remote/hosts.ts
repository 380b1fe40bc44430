// Test hosts for the remote benchmarks: sshd servers on 127.0.0.1 (test/support/servers), all
// logging in with one HOME of the benchmark's own (so the extension's runner is uploaded there,
// once, unless a benchmark wants a fresh HOME), and a small files-only spec per host.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { stringify } from 'yaml';
import type { Settings } from '../../client/src/config';
import { HostSessions } from '../../client/src/host-sessions';
import type { Host } from '../../client/src/hosts';
import { sshHost } from '../../client/src/hosts';
import { loadRunnerArtifacts } from '../../client/src/runner-artifacts';
import { startSshd } from '../../test/support/servers/index';
import type { Sshd } from '../../test/support/servers/index';

// A URL relative to this module: right both from tsx and from scripts/bench.mjs's bundle in
// .cache/bench-bundles/, two levels below the root too.
export const root = fileURLToPath(new URL('../..', import.meta.url));
export const runnerBin = join(root, 'runner', 'bin', 'backup-runner.cjs');

export interface BenchHosts {
  dir: string;
  /** The HOME every server's sessions get. */
  home: string;
  hosts: Host[];
  specs: string[];
  sshConfigFile: string;
  servers: Sshd[];
  settings: Settings;
  sessions(): HostSessions;
  stop(): Promise<void>;
}

export async function startBenchHosts(count: number, home?: string): Promise<BenchHosts> {
  const dir = await mkdtemp(join(tmpdir(), 'backup-yaml-bench-remote-'));
  const sharedHome = home ?? join(dir, 'home');
  await mkdir(sharedHome, { recursive: true });
  const servers: Sshd[] = [];
  for (let i = 0; i < count; i++)
    servers.push(
      await startSshd({ sessionEnv: { HOME: sharedHome }, hostAlias: `bench-host-${i}` }),
    );
  const app = join(dir, 'app');
  await mkdir(join(app, 'etc'), { recursive: true });
  await writeFile(join(app, 'etc', 'tracker.toml'), '[core]\nlisten = "0.0.0.0:6969"\n');
  const passwordFile = join(dir, 'restic.pw');
  await writeFile(passwordFile, 'bench\n', { mode: 0o600 });
  const repository = join(dir, 'repo');
  const specs: string[] = [];
  for (let i = 0; i < count; i++) {
    const spec = join(dir, `host-${i}.backup.yaml`);
    await writeFile(
      spec,
      stringify({
        version: 1,
        name: `bench-${i}`,
        sources: { config: { type: 'files', paths: [app] } },
        staging: { dir: join(dir, `staging-${i}`) },
        targets: { local: { repository, password_file: passwordFile } },
      }),
    );
    specs.push(spec);
  }
  await execa('node', [runnerBin, 'init', '-c', specs[0] ?? ''], { stdin: 'ignore' });
  const sshConfigFile = join(dir, 'ssh_config');
  const blocks = await Promise.all(servers.map((server) => readFile(server.configFile, 'utf8')));
  await writeFile(sshConfigFile, blocks.join('\n'));
  const settings: Settings = {
    hosts: servers.map((server, i) => ({ host: server.hostAlias, spec: specs[i] ?? '' })),
    sshPath: 'ssh',
    sshConfigFile,
    statusIntervalSeconds: 0,
    sessionIdleSeconds: 600,
  };
  const artifacts = loadRunnerArtifacts(join(root, 'dist', 'remote'));
  return {
    dir,
    home: sharedHome,
    hosts: settings.hosts.map(sshHost),
    specs,
    sshConfigFile,
    servers,
    settings,
    sessions: () =>
      new HostSessions(
        () => artifacts,
        () => settings,
      ),
    stop: async () => {
      await Promise.all(servers.map((server) => server.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
export const range = (xs: number[]) =>
  `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
