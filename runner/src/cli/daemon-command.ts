import { join } from 'node:path';
import { BackupDaemon } from '../daemon/daemon';
import type { DaemonLog } from '../daemon/daemon-log';
import { humanDaemonLog, jsonDaemonLog } from '../daemon/daemon-log';
import { checkSchedule } from '../schedule/daemon-schedule';
import type { DaemonSchedule } from '../schedule/daemon-schedule';
import { runBackup } from '../engine/run';
import { readState } from '../monitoring/state';
import { encodeRecord } from '../protocol';
import { parseDuration } from '../spec/duration';
import { StagingLayout } from '../staging/layout';
import type { Command } from './command';
import { CONFIG_OPTION, JSON_OPTION, configPath } from './command';
import { humanLog } from '../human-log';
import type { CommandIO } from './io';
import { loadConfig } from './load-config';
import { VERSION } from './version';

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

export const daemonCommand: Command = {
  name: 'daemon',
  summary: 'run backups on the spec’s schedule, in the foreground (containers)',
  usage: `Usage: backup-runner daemon [-c FILE] [--json] [--schedule CRON] [--catch-up]
                            [--grace DURATION] [--status-file FILE]

A scheduler for containers, where there is no cron or systemd: runs \`backup-runner run\` of the
spec on its \`schedule\`, one run at a time (a time that comes while a run is going is skipped),
and logs to stdout. SIGTERM or SIGINT stop it: the current run gets --grace to finish, then it is
cancelled (children stopped, partial run removed, lock released); a second signal cancels at once.

Options:
  -c, --config FILE    the spec (default ./backup.yaml)
  --json               JSON lines: the daemon's records and every run's events (for log shippers)
  --schedule CRON      instead of the spec's schedule; 6 fields put seconds first (*/30 * * * * *)
  --catch-up           at start, run at once when a scheduled time passed since the last run
                       (or no run was ever recorded)
  --grace DURATION     how long a run may go on after SIGTERM before it is cancelled (default 0s;
                       keep it below the container's stop timeout, 10 s in Docker)
  --status-file FILE   the daemon's status (default <staging.dir>/backup-yaml.daemon.json)

Health: \`backup-runner status --strict\` (the image's HEALTHCHECK). Exit status: 0 stopped by a
signal, 2 invalid spec, no schedule or usage.`,
  options: {
    ...CONFIG_OPTION,
    ...JSON_OPTION,
    schedule: { type: 'string' },
    'catch-up': { type: 'boolean' },
    grace: { type: 'string' },
    'status-file': { type: 'string' },
  },
  positionals: false,
  async run(values, _positionals, io) {
    const json = values['json'] === true;
    const loaded = await loadConfig(configPath(values), json, io);
    if (!loaded.ok) return loaded.exitCode;
    const { config } = loaded;
    const usage = (code: string, message: string) => {
      if (json) io.out(encodeRecord({ type: 'error', error: { code, message } }));
      else io.err(`backup-runner daemon: ${message}`);
      return 2;
    };
    const option = typeof values['schedule'] === 'string' ? values['schedule'] : undefined;
    const wanted: DaemonSchedule | undefined = option
      ? { pattern: option, from: 'option' }
      : config.schedule
        ? { pattern: config.schedule, from: 'spec' }
        : undefined;
    if (!wanted)
      return usage('daemon-no-schedule', 'the spec has no schedule; add one or give --schedule');
    const schedule = checkSchedule(wanted);
    if (!schedule.ok) return usage(schedule.error.code, schedule.error.message);
    const graceText = typeof values['grace'] === 'string' ? values['grace'] : '0s';
    const graceMs = graceText === '0' ? 0 : parseDuration(graceText);
    if (graceMs === undefined)
      return usage('usage', '--grace takes a duration such as 0s, 8s or 1m');

    const layout = new StagingLayout(config.staging.dir);
    const lastRun = (await readState(layout.stateFile))?.lastRun;
    const daemon = new BackupDaemon({
      name: config.name,
      spec: config.specPath,
      pattern: schedule.value.pattern,
      catchUp: values['catch-up'] === true,
      ...(lastRun ? { lastRunStartedAt: new Date(lastRun.startedAt) } : {}),
      graceMs,
      statusFile:
        typeof values['status-file'] === 'string'
          ? values['status-file']
          : join(layout.root, 'backup-yaml.daemon.json'),
      log: daemonLog(json, io),
      run: (signal, sink) => runBackup(config, { runnerVersion: VERSION, sinks: [sink], signal }),
    });
    const onSignal = (name: NodeJS.Signals) => daemon.stop(name);
    for (const name of STOP_SIGNALS) process.on(name, onSignal);
    try {
      await daemon.start();
    } finally {
      for (const name of STOP_SIGNALS) process.removeListener(name, onSignal);
    }
    return 0;
  },
};

function daemonLog(json: boolean, io: CommandIO): DaemonLog {
  return json
    ? jsonDaemonLog((line) => io.out(line))
    : humanDaemonLog(
        (line) => io.out(line),
        (stamped) => humanLog(stamped, undefined),
      );
}
