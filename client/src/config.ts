import * as vscode from 'vscode';

/** One entry of `backupYaml.hosts`: where a spec lives and how to reach its runner. */
export interface HostEntry {
  /** An OpenSSH destination (`user@host`, `host`) or an alias from the ssh config. */
  host: string;
  /** The path of the backup.yaml on that host. */
  spec: string;
  /** How to start the runner there, e.g. `docker exec -i torrust-backup backup-runner`. */
  runner?: string;
  /** Start the runner with `sudo -n` (no password prompt: configure NOPASSWD for it). */
  sudo?: boolean;
}

export interface Settings {
  hosts: HostEntry[];
  /** The ssh executable (default `ssh` on PATH). */
  sshPath: string;
  /** An ssh_config to use instead of ~/.ssh/config (`ssh -F`). */
  sshConfigFile: string | undefined;
  /** Seconds between status polls while the window is focused; 0 turns polling off. */
  statusIntervalSeconds: number;
  /** Seconds an unused host session stays open. */
  sessionIdleSeconds: number;
}

export const SECTION = 'backupYaml';

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const hosts = config.get<unknown[]>('hosts', []).filter(isHostEntry);
  const configFile = config.get<string>('ssh.configFile', '').trim();
  return {
    hosts,
    sshPath: config.get<string>('ssh.path', '').trim() || 'ssh',
    sshConfigFile: configFile === '' ? undefined : configFile,
    // Bounded: never a connection per second, whatever the setting says.
    statusIntervalSeconds: pollInterval(config.get<number>('status.intervalSeconds', 300)),
    sessionIdleSeconds: Math.max(5, config.get<number>('ssh.sessionIdleSeconds', 120)),
  };
}

/** Files of snapshots larger than this open as a notice instead of as text. */
export function maxOpenBytes(): number {
  const mib = vscode.workspace.getConfiguration(SECTION).get<number>('snapshots.maxOpenMiB', 16);
  return Math.max(1, Math.round(mib * 1048576));
}

function isHostEntry(value: unknown): value is HostEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return typeof entry['host'] === 'string' && typeof entry['spec'] === 'string';
}

/** Adds or replaces (same host and spec) an entry in the user's settings. */
export async function saveHostEntry(entry: HostEntry): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const hosts = config.get<unknown[]>('hosts', []).filter(isHostEntry);
  const others = hosts.filter((h) => !(h.host === entry.host && h.spec === entry.spec));
  await config.update('hosts', [...others, entry], vscode.ConfigurationTarget.Global);
}

/** 0 (no polling) or at least 30 s: a poll must never become a connection per second. */
function pollInterval(seconds: number): number {
  return seconds <= 0 ? 0 : Math.max(30, seconds);
}
