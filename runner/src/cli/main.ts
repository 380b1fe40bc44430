import { parseArgs } from 'node:util';
import packageJson from '../../package.json';
import type { CommandIO } from './io';
import { processIO } from './io';
import { VALIDATE_USAGE, validateCommand } from './validate-command';

export const VERSION: string = packageJson.version;

const USAGE = `Usage: backup-runner <command> [options]

Consistent backups of SQLite, MySQL/MariaDB and files into restic, driven by backup.yaml.

Commands:
  validate FILE...   check backup.yaml files (exit 1 on errors)

Options:
  -h, --help         show help (also: backup-runner <command> --help)
  -V, --version      show the version

Documentation: docs/cli.md`;

/** Runs the CLI and returns its exit status: 0 ok, 1 failure, 2 usage or input error. */
export async function main(argv: string[], io: CommandIO = processIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
        json: { type: 'boolean' },
      },
    });
  } catch (error) {
    io.err(`backup-runner: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.version) {
    io.out(VERSION);
    return 0;
  }
  switch (command) {
    case undefined:
      io[values.help ? 'out' : 'err'](USAGE);
      return values.help ? 0 : 2;
    case 'validate':
      if (values.help) {
        io.out(VALIDATE_USAGE);
        return 0;
      }
      return validateCommand(rest, values.json ?? false, io);
    case 'help':
      io.out(USAGE);
      return 0;
    default:
      io.err(`backup-runner: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}
