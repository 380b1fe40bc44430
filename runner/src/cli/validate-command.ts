import { encodeRecord } from '../protocol';
import type { ValidationRecord } from '../protocol';
import { validateSpec } from '../spec/index';
import { plural } from '../spec/describe';
import { formatDiagnostic } from './format';
import type { CommandIO } from './io';
import { readSpecFile } from './read-spec-file';

export const VALIDATE_USAGE = `Usage: backup-runner validate [--json] FILE...

Checks backup.yaml files and prints each problem as FILE:LINE:COL: severity: message [code].

Options:
  --json   print one JSON record per file instead (see runner/src/protocol.ts)

Exit status: 0 no errors (warnings allowed), 1 errors found, 2 a file could not be read.`;

export async function validateCommand(
  files: string[],
  json: boolean,
  io: CommandIO,
): Promise<number> {
  if (files.length === 0) {
    io.err(`backup-runner validate: no file given\n\n${VALIDATE_USAGE}`);
    return 2;
  }
  let errors = 0;
  let warnings = 0;
  let unreadable = 0;
  for (const file of files) {
    const record = await validateFile(file);
    errors += record.errors;
    warnings += record.warnings;
    if (record.readError) unreadable++;
    if (json) {
      io.out(encodeRecord(record));
    } else if (record.readError) {
      io.err(`${file}: cannot read: ${record.readError}`);
    } else {
      for (const diagnostic of record.diagnostics) io.out(formatDiagnostic(file, diagnostic));
    }
  }
  if (!json) {
    const summary = `${plural(files.length, 'file')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
    io.err(unreadable > 0 ? `${summary}, ${unreadable} unreadable` : summary);
  }
  if (unreadable > 0) return 2;
  return errors > 0 ? 1 : 0;
}

async function validateFile(file: string): Promise<ValidationRecord> {
  let text: string;
  try {
    text = await readSpecFile(file);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      type: 'validation',
      file,
      ok: false,
      errors: 0,
      warnings: 0,
      diagnostics: [],
      readError: reason,
    };
  }
  return validationRecord(file, text);
}

/** The validation of a spec's text, as `validate --json` prints it for `file`. */
export function validationRecord(file: string, text: string): ValidationRecord {
  const { diagnostics } = validateSpec(text);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  return { type: 'validation', file, ok: errors === 0, errors, warnings, diagnostics };
}
