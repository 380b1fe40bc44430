import * as vscode from 'vscode';
import { formatBytes } from '../../runner/src/human-log';
import type { Health, HostStatus } from './host-status';
import type { Host } from './hosts';

export const HEALTH_ICON: Record<Health, string> = {
  ok: 'pass',
  stale: 'warning',
  failed: 'error',
  unhealthy: 'error',
  never: 'circle-slash',
  error: 'debug-disconnect',
  unknown: 'sync~spin',
};

export const HEALTH_LABEL: Record<Health, string> = {
  ok: 'ok',
  stale: 'stale',
  failed: 'failed',
  unhealthy: 'unhealthy',
  never: 'never backed up',
  error: 'unreachable',
  unknown: 'checking…',
};

/** "3 h ago", "2 d ago". */
export function age(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${Math.round(minutes)} min ago`;
  if (minutes < 48 * 60) return `${(minutes / 60).toFixed(1)} h ago`;
  return `${Math.round(minutes / 1440)} d ago`;
}

/** The lines both the status bar's tooltip and the hosts view show of a host. */
export function statusLines(status: HostStatus): string[] {
  const record = status.record;
  if (status.error)
    return [`${status.error.message}`, ...(status.error.hint ? [status.error.hint] : [])];
  if (!record) return ['not checked yet'];
  const lines: string[] = [];
  if (record.lastRun)
    lines.push(
      `Last run: ${record.lastRun.status} at ${new Date(record.lastRun.finishedAt).toLocaleString()}${record.lastRun.error ? ` — ${record.lastRun.error.message}` : ''}`,
    );
  else lines.push('Last run: never');
  if (record.lastSuccess) {
    const added = record.lastSuccess.snapshots.reduce((sum, s) => sum + s.dataAdded, 0);
    lines.push(`Last success: ${age(record.lastSuccess.ageMs)} (+${formatBytes(added)} new)`);
  } else lines.push('Last success: never');
  lines.push(
    record.lastVerify
      ? `Last verify: ${record.lastVerify.status} at ${new Date(record.lastVerify.at).toLocaleString()}`
      : 'Last verify: never',
  );
  const checks = Object.entries(record.lastCheck ?? {});
  lines.push(
    checks.length
      ? `Last check: ${checks.map(([target, c]) => `${target} ${c.status} ${new Date(c.at).toLocaleString()}`).join(', ')}`
      : 'Last check: never',
  );
  return lines;
}

export function statusTooltip(host: Host, status: HostStatus): vscode.MarkdownString {
  const text = new vscode.MarkdownString(
    `**${host.label}** · \`${host.spec}\` — ${HEALTH_LABEL[status.health]}\n\n${statusLines(status)
      .map((line) => `- ${line}`)
      .join('\n')}`,
  );
  text.supportThemeIcons = true;
  return text;
}
