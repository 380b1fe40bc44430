import * as vscode from 'vscode';
import type { Health, HostStatusStore } from './host-status';
import { worst } from './host-status';
import type { HostRunner } from './host-run';
import type { Host } from './hosts';
import { HEALTH_ICON, HEALTH_LABEL, statusTooltip } from './status-text';

/**
 * The backup health in the status bar: of the one watched host, or the worst of several (the
 * tooltip lists each: last run, last success's age, last verify, last check). A click opens
 * Show status, which offers Run now.
 */
export class BackupStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem(
    'backupYaml.health',
    vscode.StatusBarAlignment.Left,
    50,
  );
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly store: HostStatusStore,
    private readonly hosts: () => Host[],
    private readonly runs: HostRunner,
  ) {
    this.item.name = 'Backup health';
    this.subscriptions.push(
      store.onDidChange(() => this.update()),
      runs.onRunEvent(({ event }) => {
        if (event.type === 'run-started') this.update();
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
    );
    this.update();
  }

  update(): void {
    const hosts = this.hosts();
    const [only] = hosts;
    if (!only) {
      this.item.hide();
      return;
    }
    const statuses = hosts.map((host) => this.store.get(host));
    const health: Health = worst(statuses);
    const label = hosts.length === 1 ? only.label : `${hosts.length} hosts`;
    const running = hosts.filter((host) => this.runs.isRunning(host)).length;
    this.item.text = running
      ? `$(sync~spin) backup ${label}: running${hosts.length > 1 ? ` on ${running}` : ''}`
      : `$(${HEALTH_ICON[health]}) backup ${label}: ${HEALTH_LABEL[health]}`;
    const tooltip = new vscode.MarkdownString(
      hosts
        .map((host, i) => statusTooltip(host, statuses[i] ?? { health: 'unknown' }).value)
        .join('\n\n---\n\n'),
    );
    tooltip.supportThemeIcons = true;
    this.item.tooltip = tooltip;
    this.item.command = {
      title: 'Show status',
      command: 'backupYaml.showStatus',
      arguments: hosts.length === 1 ? [only.id] : [],
    };
    this.item.backgroundColor =
      health === 'failed' || health === 'unhealthy' || health === 'error'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : health === 'stale'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    this.item.show();
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.item.dispose();
  }
}
