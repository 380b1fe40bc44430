import type { RunEvent } from './protocol';
import type { CommandIO } from './cli/io';

/** Renders run events for a person: one line per finished step, progress on a terminal. */
export function humanLog(
  io: CommandIO,
  tty: NodeJS.WriteStream | undefined,
): (event: RunEvent) => void {
  const titles = new Map<string, string>();
  let progressShown = false;
  const clearProgress = () => {
    if (progressShown && tty) tty.write('\r\x1b[K');
    progressShown = false;
  };
  return (event) => {
    switch (event.type) {
      case 'run-started':
        io.out(`backup ${event.name} · run ${event.runId} · ${event.spec}`);
        return;
      case 'step-started':
        titles.set(event.step, event.title);
        return;
      case 'step-progress':
        if (!tty) return;
        tty.write(
          `\r\x1b[K  … ${titles.get(event.step) ?? event.step}: ${formatBytes(event.bytesDone)}${event.bytesTotal ? ` / ${formatBytes(event.bytesTotal)}` : ''}`,
        );
        progressShown = true;
        return;
      case 'step-finished': {
        clearProgress();
        const mark = { ok: '✓', failed: '✗', skipped: '-', cancelled: '✗' }[event.status];
        const detail = event.error
          ? ` — ${event.error.code}: ${event.error.message}${event.error.hint ? ` (${event.error.hint})` : ''}`
          : summarize(event.result);
        io.out(
          `  ${mark} ${titles.get(event.step) ?? event.step}${detail} (${(event.durationMs / 1000).toFixed(1)} s)`,
        );
        return;
      }
      case 'log':
        clearProgress();
        io.out(`    ${event.level === 'info' ? '' : `${event.level}: `}${event.message}`);
        return;
      case 'run-finished': {
        clearProgress();
        const snapshots = event.snapshots
          .map((s) => `${s.target} ${s.snapshotId} (+${formatBytes(s.dataAdded)})`)
          .join(', ');
        const what = event.status === 'ok' ? 'finished' : event.status;
        io.out(
          `run ${what} in ${(event.durationMs / 1000).toFixed(1)} s${snapshots ? `: ${snapshots}` : ''}${event.error ? ` — ${event.error.message}` : ''}`,
        );
        return;
      }
    }
  };
}

function summarize(result: Record<string, unknown> | undefined): string {
  if (!result) return '';
  const parts: string[] = [];
  if (typeof result['reason'] === 'string') parts.push(result['reason']);
  if (typeof result['snapshotId'] === 'string')
    parts.push(
      `snapshot ${result['snapshotId']}, +${formatBytes(Number(result['dataAdded'] ?? 0))} new`,
    );
  if (typeof result['bytes'] === 'number' && typeof result['snapshotId'] !== 'string')
    parts.push(formatBytes(result['bytes']));
  if (typeof result['journalMode'] === 'string') parts.push(`journal ${result['journalMode']}`);
  const integrity = result['integrityCheck'] ?? result['integrity'];
  if (integrity && typeof integrity === 'object' && 'result' in integrity)
    parts.push(`integrity ${String((integrity as { result: unknown }).result)}`);
  if (typeof result['removed'] === 'number')
    parts.push(`${result['kept'] as number} kept, ${result['removed']} forgotten`);
  return parts.length ? `: ${parts.join(', ')}` : '';
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
