/**
 * The runner's machine-readable output: one JSON object per line on stdout with `--json`.
 * The VS Code extension reads exactly these types; nothing else is printed to stdout in JSON mode.
 * Adding fields is compatible; removing or renaming one bumps PROTOCOL_VERSION.
 */
import type { Diagnostic } from './spec/index';

export const PROTOCOL_VERSION = 1;

/** `backup-runner validate --json`: one record per file. */
export interface ValidationRecord {
  type: 'validation';
  file: string;
  ok: boolean;
  errors: number;
  warnings: number;
  diagnostics: Diagnostic[];
  /** Set when the file could not be read; then `diagnostics` is empty. */
  readError?: string;
}

export type RunnerRecord = ValidationRecord;

export function encodeRecord(record: RunnerRecord): string {
  return JSON.stringify(record);
}

/** Parses one line of runner output; undefined for anything that is not a record. */
export function decodeRecord(line: string): RunnerRecord | undefined {
  try {
    const value: unknown = JSON.parse(line);
    if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { type?: unknown }).type === 'string'
    ) {
      return value as RunnerRecord;
    }
  } catch {
    // Not a record: a stray line from a child process, for instance.
  }
  return undefined;
}
