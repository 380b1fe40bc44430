import type { CommandIO } from './io';

export type OptionValues = Record<string, string | boolean | undefined>;

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
}

/** A subcommand of backup-runner: its options, its usage text and what it does. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  positionals: boolean;
  run(values: OptionValues, positionals: string[], io: CommandIO): Promise<number>;
}

/** `-c/--config FILE`, default ./backup.yaml: how every command but validate finds the spec. */
export const CONFIG_OPTION: Record<string, OptionSpec> = { config: { type: 'string', short: 'c' } };
export const JSON_OPTION: Record<string, OptionSpec> = { json: { type: 'boolean' } };

export function configPath(values: OptionValues): string {
  return typeof values['config'] === 'string' ? values['config'] : 'backup.yaml';
}
