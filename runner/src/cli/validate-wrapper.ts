import type { Command } from './command';
import { JSON_OPTION } from './command';
import { VALIDATE_USAGE, validateCommand } from './validate-command';

export const validate: Command = {
  name: 'validate',
  summary: 'check backup.yaml files (exit 1 on errors)',
  usage: VALIDATE_USAGE,
  options: { ...JSON_OPTION },
  positionals: true,
  run: (values, positionals, io) => validateCommand(positionals, values['json'] === true, io),
};
