import { parseArgs } from 'node:util';
import { cancelWhenStdinEnds } from './cancellation';
import { catCommand } from './cat-command';
import type { Command } from './command';
import { checkCommand } from './check-command';
import { daemonCommand } from './daemon-command';
import { demoCommand } from './demo-command';
import { initCommand } from './init-command';
import { lsCommand } from './ls-command';
import type { CommandIO } from './io';
import { processIO } from './io';
import { planCommand } from './plan-command';
import { restoreCommand } from './restore-command';
import { runCommand } from './run-command';
import { scheduleCommand } from './schedule-command';
import { serveCommand } from './serve-command';
import { readSpecCommand, writeSpecCommand } from './spec-file-command';
import { snapshotsCommand } from './snapshots-command';
import { statusCommand } from './status-command';
import { validate } from './validate-wrapper';
import { verifyCommand } from './verify-command';
import { VERSION } from './version';
import { versionCommand } from './version-command';

export { VERSION };

const COMMANDS: Command[] = [
  validate,
  planCommand,
  runCommand,
  initCommand,
  checkCommand,
  scheduleCommand,
  daemonCommand,
  statusCommand,
  snapshotsCommand,
  lsCommand,
  catCommand,
  restoreCommand,
  verifyCommand,
  demoCommand,
  versionCommand,
  serveCommand,
  readSpecCommand,
  writeSpecCommand,
];

const USAGE = `Usage: backup-runner <command> [options]

Consistent backups of SQLite, MySQL/MariaDB and files into restic, driven by backup.yaml.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Every command but validate reads the spec given with -c FILE (default ./backup.yaml).

Options:
  -h, --help         show help (also: backup-runner <command> --help)
  -V, --version      show the version
  --cancel-on-eof    (any command) the end of stdin cancels it as SIGTERM does: for clients
                     such as the VS Code extension that run it over SSH, where no signal arrives

Documentation: docs/cli.md`;

/** Runs the CLI and returns its exit status (see each command's --help). */
export async function main(argv: string[], io: CommandIO = processIO): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '-V' || first === '--version') {
    io.out(VERSION);
    return 0;
  }
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    io[first === undefined ? 'err' : 'out'](USAGE);
    return first === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === first);
  if (!command) {
    io.err(`backup-runner: unknown command "${first}"\n\n${USAGE}`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: command.positionals,
      strict: true,
      options: {
        ...command.options,
        help: { type: 'boolean', short: 'h' },
        'cancel-on-eof': { type: 'boolean' },
      },
    });
  } catch (error) {
    io.err(
      `backup-runner ${command.name}: ${error instanceof Error ? error.message : String(error)}\n\n${command.usage}`,
    );
    return 2;
  }
  if (parsed.values.help) {
    io.out(command.usage);
    return 0;
  }
  if (parsed.values['cancel-on-eof'] === true) cancelWhenStdinEnds();
  return command.run(parsed.values, parsed.positionals, io);
}
