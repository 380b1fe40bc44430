import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { runBackup } from '../engine/run';
import { encodeRecord } from '../protocol';
import type { RunEvent } from '../protocol';
import type { Command } from './command';
import { CONFIG_OPTION, JSON_OPTION, configPath } from './command';
import type { CommandIO } from './io';
import { humanLog } from '../human-log';
import type { CancelReason } from './cancellation';
import { withCancellation } from './cancellation';
import { loadConfig } from './load-config';
import { printPlan } from './plan-command';
import { VERSION } from './version';

export const runCommand: Command = {
  name: 'run',
  summary: 'run a backup: dump → stage → archive → restic → retention',
  usage: `Usage: backup-runner run [-c FILE] [--json] [--dry-run]

Runs one backup of the spec (default ./backup.yaml): lock, hooks.before, a consistent dump of
every source into the staging run, manifest.json, archive, restic backup to every target,
retention (only when everything succeeded), hooks.after or hooks.on_failure, unlock.

Options:
  -c, --config FILE  the spec (default ./backup.yaml)
  --json             print typed JSON-lines events (runner/src/protocol.ts) instead of a log
  --dry-run          print the plan with the exact commands and run nothing
  --log FILE         append the readable log to FILE instead of stdout (for cron); a failed
                     run still says why on stderr
  --accept-shrink    accept sources far smaller than at the last success (max_shrink) in
                     this run: its snapshot counts and retention runs

Exit status: 0 ok, 1 failed, 2 invalid spec or usage, 3 a source shrank far below its last
size (snapshot kept and tagged, no retention), 4 a target's repository is damaged (no
retention there until a check passes), 75 another run holds the lock, 130 cancelled
(SIGINT/SIGTERM, or stdin closed with --cancel-on-eof: children stopped, partial run removed,
lock released).`,
  options: {
    ...CONFIG_OPTION,
    ...JSON_OPTION,
    'dry-run': { type: 'boolean' },
    log: { type: 'string' },
    'accept-shrink': { type: 'boolean' },
  },
  positionals: false,
  async run(values, _positionals, io) {
    const json = values['json'] === true;
    const loaded = await loadConfig(configPath(values), json, io);
    if (!loaded.ok) return loaded.exitCode;
    if (values['dry-run'] === true) return printPlan(loaded.config, json, io);
    const logFile = typeof values['log'] === 'string' ? values['log'] : undefined;
    const sink = json
      ? (event: RunEvent) => io.out(encodeRecord(event))
      : logFile
        ? await fileLog(logFile, io)
        : humanLog(io, process.stderr.isTTY ? process.stderr : undefined);
    const announce = (reason: CancelReason) => {
      if (!json)
        io.err(
          `${reason === 'stdin-eof' ? 'stdin closed (--cancel-on-eof)' : `received ${reason}`}: stopping the run, removing the partial run, releasing the lock`,
        );
    };
    const outcome = await withCancellation(
      (signal) =>
        runBackup(loaded.config, {
          runnerVersion: VERSION,
          sinks: [sink],
          signal,
          acceptShrink: values['accept-shrink'] === true,
        }),
      announce,
    );
    return outcome.exitCode;
  },
};

/**
 * The readable log appended to a file with a timestamp per line; a failed run also says why on
 * stderr, which cron mails and systemd journals.
 */
async function fileLog(path: string, io: CommandIO): Promise<(event: RunEvent) => void> {
  await mkdir(dirname(path), { recursive: true });
  const stream = createWriteStream(path, { flags: 'a', mode: 0o640 });
  const write = (line: string) => stream.write(`${new Date().toISOString()} ${line}\n`);
  const log = humanLog({ out: write, err: write }, undefined);
  return (event) => {
    log(event);
    if (event.type === 'run-finished' && event.status !== 'ok')
      io.err(
        `backup-runner: run ${event.runId} ${event.status}: ${event.error?.message ?? ''} (log: ${path})`,
      );
    if (event.type === 'run-finished') stream.end();
  };
}
