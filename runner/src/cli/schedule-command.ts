import { existsSync, realpathSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { runChild } from '../process/start-child';
import type { RunConfig } from '../config';
import { cronFile, systemdUnits, unitName } from '../schedule/schedule-units';
import type { RunnerCommand, UnitFile } from '../schedule/schedule-units';
import { encodeRecord } from '../protocol';
import type { ScheduleRecord } from '../protocol';
import type { Command, OptionValues } from './command';
import { CONFIG_OPTION, JSON_OPTION, configPath } from './command';
import type { CommandIO } from './io';
import { loadConfig } from './load-config';
import { isSelfContained } from './self-contained';

export const scheduleCommand: Command = {
  name: 'schedule',
  summary: 'a crontab line or systemd service + timer that runs the backup on the spec schedule',
  usage: `Usage: backup-runner schedule [-c FILE] [--cron | --systemd] [--install] [--log FILE] [--dir DIR] [--json]

Writes what runs \`backup-runner run -c FILE\` on the spec's schedule, with absolute paths:
  --systemd (default)  backup-yaml-<name>.service and .timer (Persistent=true: a run missed while
                       the machine was off happens at boot); the log goes to the journal
  --cron               a file for /etc/cron.d (a user crontab line without --install); the log
                       goes to --log FILE (default /var/log/backup-yaml/<name>.log as root)
Without --install it prints them. --install writes them to --dir (default /etc/systemd/system or
/etc/cron.d) and, for systemd, enables the timer when systemd runs.`,
  options: {
    ...CONFIG_OPTION,
    ...JSON_OPTION,
    cron: { type: 'boolean' },
    systemd: { type: 'boolean' },
    install: { type: 'boolean' },
    log: { type: 'string' },
    dir: { type: 'string' },
  },
  positionals: false,
  async run(values, _positionals, io) {
    const json = values['json'] === true;
    const loaded = await loadConfig(configPath(values), json, io);
    if (!loaded.ok) return loaded.exitCode;
    const { config } = loaded;
    if (!config.schedule) {
      io.err('backup-runner schedule: the spec has no "schedule" (e.g. schedule: "0 3 * * *")');
      return 2;
    }
    if (values['cron'] === true && values['systemd'] === true) {
      io.err('backup-runner schedule: choose --cron or --systemd');
      return 2;
    }
    const kind = values['cron'] === true ? 'cron' : 'systemd';
    const root = process.getuid?.() === 0;
    const command = runnerCommand(config, values, root);
    const install = values['install'] === true;
    const dir =
      typeof values['dir'] === 'string'
        ? values['dir']
        : kind === 'cron'
          ? '/etc/cron.d'
          : '/etc/systemd/system';
    let files: UnitFile[];
    if (kind === 'cron') {
      files = [
        cronFile(config, config.schedule, command, dir, install || root ? 'root' : undefined),
      ];
    } else {
      const units = systemdUnits(config, config.schedule, command, dir);
      if (!units.ok) {
        io.err(
          `backup-runner schedule: ${units.error.message}${units.error.hint ? ` (${units.error.hint})` : ''}`,
        );
        return 1;
      }
      files = units.value;
    }
    const record: ScheduleRecord = {
      type: 'schedule',
      kind,
      files,
      installed: false,
      instructions: [],
    };
    if (install) {
      const installed = await installFiles(files, kind, config, record, io);
      if (installed !== 0) return installed;
    } else {
      record.instructions.push(
        kind === 'cron'
          ? `install with --install (as root), or add the line to \`crontab -e\``
          : `install with --install (as root), then: systemctl enable --now ${unitName(config)}.timer`,
      );
    }
    if (json) io.out(encodeRecord(record));
    else {
      for (const file of files)
        io.out(`# ${file.path}${record.installed ? ' (installed)' : ''}\n${file.content}`);
      for (const line of record.instructions) io.out(`# ${line}`);
    }
    return 0;
  },
};

function runnerCommand(config: RunConfig, values: OptionValues, root: boolean): RunnerCommand {
  // The self-contained runner is its own interpreter: its argv[1] is itself again.
  const script = isSelfContained()
    ? undefined
    : process.argv[1]
      ? realpathSync(process.argv[1])
      : 'backup-runner';
  const logDir = root
    ? '/var/log/backup-yaml'
    : join(process.env['XDG_STATE_HOME'] ?? join(homedir(), '.local', 'state'), 'backup-yaml');
  const logFile =
    typeof values['log'] === 'string' ? values['log'] : join(logDir, `${config.name}.log`);
  return { node: process.execPath, ...(script ? { runner: script } : {}), logFile };
}

async function installFiles(
  files: UnitFile[],
  kind: 'cron' | 'systemd',
  config: RunConfig,
  record: ScheduleRecord,
  io: CommandIO,
): Promise<number> {
  try {
    for (const file of files) {
      await mkdir(join(file.path, '..'), { recursive: true });
      await writeFile(file.path, file.content);
      // cron.d files must not be group- or world-writable, or cron ignores them.
      await chmod(file.path, 0o644);
    }
  } catch (error) {
    io.err(
      `backup-runner schedule: cannot install: ${error instanceof Error ? error.message : String(error)} (run as root, or give --dir)`,
    );
    return 1;
  }
  record.installed = true;
  if (kind === 'systemd') {
    const timer = `${unitName(config)}.timer`;
    if (existsSync('/run/systemd/system')) {
      for (const args of [['daemon-reload'], ['enable', '--now', timer]]) {
        const result = await runChild('systemctl', args, { timeoutMs: 120_000 });
        if (result.exitCode !== 0) {
          io.err(
            `backup-runner schedule: systemctl ${args.join(' ')} failed: ${result.stderr || result.spawnError || ''}`,
          );
          return 1;
        }
      }
      record.instructions.push(
        `enabled ${timer}; see \`systemctl list-timers ${timer}\` and \`journalctl -u ${unitName(config)}\``,
      );
    } else {
      record.instructions.push(
        `systemd is not running here; on the host run: systemctl daemon-reload && systemctl enable --now ${timer}`,
      );
    }
  } else {
    record.instructions.push('cron reads /etc/cron.d by itself; no reload needed');
  }
  return 0;
}
