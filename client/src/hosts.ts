import type { HostEntry } from './config';

/** A spec on a host, as the commands, the status bar and the hosts view know it. */
export interface Host {
  /** Stable key: `ssh:<host>:<spec>` or `local:<spec>`. */
  id: string;
  /** What a person calls it: the ssh destination or alias, or "this host". */
  label: string;
  /** The backup.yaml's path on that host. */
  spec: string;
  /** The settings entry; undefined for "this host". */
  entry: HostEntry | undefined;
}

export function sshHost(entry: HostEntry): Host {
  return { id: `ssh:${entry.host}:${entry.spec}`, label: entry.host, spec: entry.spec, entry };
}

/**
 * The open backup.yaml's own host. In a Remote-SSH, WSL or container window the extension runs
 * where the workspace is (extensionKind workspace), so that is the remote machine, and no entry
 * or ssh is needed for it.
 */
export function localHost(specPath: string): Host {
  return { id: `local:${specPath}`, label: 'this host', spec: specPath, entry: undefined };
}

/** The key of the connection a host uses: specs on one host with the same runner share one. */
export function connectionKey(host: Host): string {
  const entry = host.entry;
  return entry ? `ssh:${entry.host}|${entry.runner ?? ''}|${entry.sudo ? 'sudo' : ''}` : 'local';
}

/** Orders hosts with the most recently used first (ids in `recent`, newest first). */
export function byRecentUse(hosts: Host[], recent: readonly string[]): Host[] {
  const rank = (host: Host) => {
    const at = recent.indexOf(host.id);
    return at < 0 ? Number.MAX_SAFE_INTEGER : at;
  };
  return [...hosts].sort((a, b) => rank(a) - rank(b));
}
