import * as vscode from 'vscode';
import { readSettings } from './config';
import type { Host } from './hosts';
import { byRecentUse, localHost, sshHost } from './hosts';
import type { Prompts } from './prompts';

const RECENT_KEY = 'backupYaml.recentHosts';

/** The hosts the commands can act on, and the choice among them (last used first). */
export class HostPicker {
  constructor(
    private readonly state: vscode.Memento,
    private readonly prompts: () => Prompts,
  ) {}

  /** Configured hosts, then "this host" for the active backup.yaml when it is a local file. */
  all(): Host[] {
    const hosts = this.configured();
    const local = this.activeLocalSpec();
    return local ? [...hosts, localHost(local)] : hosts;
  }

  /** The hosts of backupYaml.hosts. */
  configured(): Host[] {
    return readSettings().hosts.map(sshHost);
  }

  /**
   * The hosts whose health the status bar and the poll follow: the configured ones; without any,
   * the open backup.yaml's own host (a Remote-SSH window on the host itself, say). A local
   * backup.yaml next to configured hosts is usually the working copy that Deploy sends.
   */
  watched(): Host[] {
    const hosts = this.configured();
    const local = this.activeLocalSpec();
    return hosts.length > 0 || !local ? hosts : [localHost(local)];
  }

  find(id: string): Host | undefined {
    return this.all().find((host) => host.id === id);
  }

  /** `given` (a host id or a view node's host), else the only host, else the user's choice. */
  async resolve(given: unknown): Promise<Host | undefined> {
    const id = typeof given === 'string' ? given : hostIdOf(given);
    const hosts = byRecentUse(this.all(), this.recent());
    const chosen = id
      ? hosts.find((host) => host.id === id)
      : hosts.length <= 1
        ? hosts[0]
        : (
            await this.prompts().pick(
              hosts.map((host) => ({ label: host.label, description: host.spec, host })),
              'Which host?',
            )
          )?.host;
    if (chosen)
      await this.state.update(
        RECENT_KEY,
        [chosen.id, ...this.recent().filter((r) => r !== chosen.id)].slice(0, 20),
      );
    return chosen;
  }

  private recent(): string[] {
    return this.state.get<string[]>(RECENT_KEY, []);
  }

  private activeLocalSpec(): string | undefined {
    const document = vscode.window.activeTextEditor?.document;
    return document?.languageId === 'backup-yaml' && document.uri.scheme === 'file'
      ? document.uri.fsPath
      : undefined;
  }
}

function hostIdOf(node: unknown): string | undefined {
  if (typeof node !== 'object' || node === null || !('host' in node)) return undefined;
  const host = (node as { host: unknown }).host;
  return typeof host === 'object' && host !== null && 'id' in host
    ? String((host as { id: unknown }).id)
    : undefined;
}
