import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { freePort, isPortOpen, LOOPBACK } from './ports';
import { spawnServer, stopProcess } from './process';
import { inServerDir, launchWithPortRetry, waitUntilServing } from './start-up';

export interface Sshd {
  host: typeof LOOPBACK;
  port: number;
  /** The local user the client logs in as (the one running the tests). */
  user: string;
  /** The client's private key (ed25519, no passphrase), authorised by this server only. */
  identityFile: string;
  /** Holds this server's host key only, for StrictHostKeyChecking=yes. */
  knownHostsFile: string;
  /** An ssh_config with `Host <hostAlias>` set up for this server (key, port, known hosts). */
  configFile: string;
  hostAlias: string;
  /** A scratch directory removed by stop(), e.g. for sftp repositories. */
  dataDir: string;
  pid: number;
  /** `ssh` and its arguments up to the destination: append a remote command, or `-s sftp`. */
  sshArgv: string[];
  /**
   * The value of restic's `-o sftp.command=...` (restic 0.14 has no sftp.args; it splits this
   * string on spaces and quotes, so the paths in it contain neither).
   */
  resticSftpCommand: string;
  /** restic's options for this server: ['-o', 'sftp.command=...']. */
  resticOptions: string[];
  /** A restic repository string for a path on this server (reached through resticOptions). */
  resticRepository(path: string): string;
  /** Stops sshd by PID (SIGTERM, then SIGKILL) and removes its temporary directory. */
  stop(): Promise<void>;
}

const hostAlias = 'backup-yaml-test-sshd';

export interface SshdOptions {
  /**
   * Environment of every session (sshd's SetEnv, applied after sshd's own HOME and PATH): e.g.
   * a HOME of the test's own, so what a client leaves in ~ stays in the test's directory.
   */
  sessionEnv?: Record<string, string>;
  /** The alias in the generated ssh_config (default backup-yaml-test-sshd). */
  hostAlias?: string;
}

/** Starts OpenSSH's sshd on 127.0.0.1 with keys, config and known_hosts of its own. */
export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
  return inServerDir('backup-yaml-sshd-', async (dir) => {
    const dataDir = join(dir, 'data');
    await mkdir(dataDir);
    // sshd refuses to start without its privilege-separation directory.
    await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
    const hostKey = join(dir, 'host_key');
    const identityFile = join(dir, 'client_key');
    await Promise.all([keygen(hostKey, 'backup-yaml test host'), keygen(identityFile, 'client')]);
    await writeFile(join(dir, 'authorized_keys'), await readFile(`${identityFile}.pub`), {
      mode: 0o600,
    });
    return await launchWithPortRetry(
      () => launch(dir, dataDir, hostKey, identityFile, options),
      join(dir, 'sshd.log'),
    );
  });
}

async function keygen(path: string, comment: string): Promise<void> {
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
}

async function launch(
  dir: string,
  dataDir: string,
  hostKey: string,
  identityFile: string,
  options: SshdOptions,
): Promise<Sshd> {
  const port = await freePort();
  const alias = options.hostAlias ?? hostAlias;
  const setEnv = Object.entries(options.sessionEnv ?? {}).map(
    ([name, value]) => `SetEnv ${JSON.stringify(`${name}=${value}`)}`,
  );
  const user = userInfo().username;
  const sshdConfig = join(dir, 'sshd_config');
  await writeFile(
    sshdConfig,
    [
      `ListenAddress ${LOOPBACK}:${port}`,
      `HostKey ${hostKey}`,
      'PidFile none',
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `AllowUsers ${user}`,
      'PermitRootLogin prohibit-password',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      // PAM would need the system's session set-up; StrictModes would reject the temp dir.
      'UsePAM no',
      'StrictModes no',
      'UseDNS no',
      'Subsystem sftp internal-sftp',
      'LogLevel INFO',
      ...setEnv,
      '',
    ].join('\n'),
  );
  const knownHostsFile = join(dir, 'known_hosts');
  const hostPublicKey = (await readFile(`${hostKey}.pub`, 'utf8')).trim();
  await writeFile(knownHostsFile, `[${LOOPBACK}]:${port} ${hostPublicKey}\n`);
  const configFile = join(dir, 'ssh_config');
  await writeFile(
    configFile,
    [
      `Host ${alias}`,
      `  HostName ${LOOPBACK}`,
      `  Port ${port}`,
      `  User ${user}`,
      `  IdentityFile ${identityFile}`,
      '  IdentitiesOnly yes',
      '  IdentityAgent none',
      `  UserKnownHostsFile ${knownHostsFile}`,
      '  GlobalKnownHostsFile /dev/null',
      '  StrictHostKeyChecking yes',
      '  BatchMode yes',
      '',
    ].join('\n'),
  );

  // sshd re-executes itself and so must be started by absolute path; -D: stay in the foreground.
  const server = spawnServer(
    '/usr/sbin/sshd',
    ['-D', '-e', '-f', sshdConfig],
    join(dir, 'sshd.log'),
  );
  await waitUntilServing(server, () => isPortOpen(port), `sshd on ${LOOPBACK}:${port}`);

  const sshArgv = ['ssh', '-F', configFile, alias];
  const resticSftpCommand = [...sshArgv, '-s', 'sftp'].join(' ');
  return {
    host: LOOPBACK,
    port,
    user,
    identityFile,
    knownHostsFile,
    configFile,
    hostAlias: alias,
    dataDir,
    pid: server.pid,
    sshArgv,
    resticSftpCommand,
    resticOptions: ['-o', `sftp.command=${resticSftpCommand}`],
    resticRepository: (path) => `sftp:${user}@${LOOPBACK}:${path}`,
    stop: async () => {
      await stopProcess(server.child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
