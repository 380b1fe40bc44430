import type { Settings } from './config';
import { startProcess } from './local-transport';
import type { HostProcess, Transport } from './transport';

/**
 * A host reached through the system OpenSSH client, so ~/.ssh/config, the agent, ProxyJump and
 * known_hosts behave exactly as in a terminal. BatchMode: ssh never prompts (there is no terminal
 * to answer); an unknown host key then fails, and host key checking is never turned off.
 */
export class SshTransport implements Transport {
  constructor(
    readonly label: string,
    private readonly settings: Pick<Settings, 'sshPath' | 'sshConfigFile'>,
  ) {}

  start(commandLine: string): HostProcess {
    return startProcess(this.settings.sshPath, [...this.options(), '--', this.label, commandLine]);
  }

  /** Options before the destination; also what a benchmark or a person can run by hand. */
  options(): string[] {
    return [
      ...(this.settings.sshConfigFile ? ['-F', this.settings.sshConfigFile] : []),
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=15',
      // Keep-alives notice a dead connection (laptop asleep, network gone) within a minute.
      '-o',
      'ServerAliveInterval=15',
      '-o',
      'ServerAliveCountMax=4',
      // No pty: the runner sees its stdin end when the connection does (--cancel-on-eof).
      '-T',
    ];
  }
}

/** An ssh destination cannot begin with "-": it would be read as an option. */
export function isValidDestination(host: string): boolean {
  return host.trim() !== '' && !host.startsWith('-') && !/\s/.test(host);
}
