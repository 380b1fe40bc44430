import type { BackupState } from './state';

/**
 * Prometheus textfile-collector metrics from the state. A failed run updates the last-run metrics
 * only: the last-success timestamp keeps its old value, so an alert on its age fires (metrics
 * that report success on failure are a known pain of other tools).
 */
export function renderMetrics(state: BackupState): string {
  const name = label(state.name);
  const lines: string[] = [];
  const gauge = (metric: string, help: string, samples: [string, number][]) => {
    if (samples.length === 0) return;
    lines.push(`# HELP backup_yaml_${metric} ${help}`, `# TYPE backup_yaml_${metric} gauge`);
    for (const [labels, value] of samples)
      lines.push(`backup_yaml_${metric}{name="${name}"${labels}} ${value}`);
  };
  const seconds = (iso: string) => Math.round(Date.parse(iso) / 1000);
  const run = state.lastRun;
  const success = state.lastSuccess;
  gauge(
    'last_run_timestamp_seconds',
    'When the last run finished.',
    run ? [['', seconds(run.finishedAt)]] : [],
  );
  gauge(
    'last_run_success',
    '1 if the last run succeeded, 0 if it failed or was cancelled.',
    run ? [['', run.status === 'ok' ? 1 : 0]] : [],
  );
  gauge(
    'last_run_duration_seconds',
    'How long the last run took.',
    run ? [['', run.durationMs / 1000]] : [],
  );
  gauge(
    'last_success_timestamp_seconds',
    'When the last successful run finished.',
    success ? [['', seconds(success.finishedAt)]] : [],
  );
  gauge(
    'last_success_duration_seconds',
    'How long the last successful run took.',
    success ? [['', success.durationMs / 1000]] : [],
  );
  gauge(
    'last_success_bytes_added',
    'Bytes the last successful run added to each repository (after deduplication).',
    success ? success.snapshots.map((s) => [`,target="${label(s.target)}"`, s.dataAdded]) : [],
  );
  gauge(
    'source_bytes',
    'Staged bytes of each source in the last successful run.',
    success
      ? Object.entries(success.sources).map(([source, { bytes }]) => [
          `,source="${label(source)}"`,
          bytes,
        ])
      : [],
  );
  const verify = state.lastVerify;
  gauge(
    'last_verify_timestamp_seconds',
    'When the last restore drill (verify) finished.',
    verify ? [['', seconds(verify.at)]] : [],
  );
  gauge(
    'last_verify_success',
    '1 if the last restore drill passed.',
    verify ? [['', verify.status === 'ok' ? 1 : 0]] : [],
  );
  const checks = Object.entries(state.lastCheck ?? {});
  gauge(
    'last_check_timestamp_seconds',
    'When each repository was last checked.',
    checks.map(([target, check]) => [`,target="${label(target)}"`, seconds(check.at)]),
  );
  gauge(
    'last_check_success',
    '1 if the last repository check passed.',
    checks.map(([target, check]) => [`,target="${label(target)}"`, check.status === 'ok' ? 1 : 0]),
  );
  return `${lines.join('\n')}\n`;
}

function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
