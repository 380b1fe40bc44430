/**
 * Every diagnostic code the spec module emits, with the severity it is reported at and a
 * one-line explanation (used by `backup-runner validate --explain` and the docs).
 */
export const DIAGNOSTIC_CODES = {
  // YAML syntax and structure
  'yaml-syntax': ['error', 'The file is not valid YAML.'],
  'duplicate-key': ['error', 'A key appears twice in one mapping; the second would silently win.'],
  'tab-indent': ['error', 'YAML does not allow tabs for indentation.'],
  'alias-limit': ['error', 'Aliases expand to too much data (an "alias bomb").'],
  'unresolved-alias': ['error', 'An alias refers to an anchor that is not defined before it.'],
  'recursive-alias': ['error', 'An alias refers to a node that contains it.'],
  'multiple-documents': ['error', 'A backup.yaml holds exactly one YAML document.'],
  'collection-key': ['error', 'A list or mapping used as a mapping key.'],
  'too-deep': ['error', 'The YAML is nested too deeply.'],
  'too-large': ['error', 'The file is too large to be a backup.yaml.'],
  'empty-spec': ['error', 'The file is empty.'],
  'yaml-warning': ['warning', 'A YAML construct that is probably not what was meant.'],
  'too-many-problems': ['info', 'More problems were found than are listed.'],
  'internal-error': [
    'error',
    'The validator itself failed: a bug in backup-yaml, please report it.',
  ],
  // Schema
  'unknown-key': ['error', 'A key that backup.yaml does not define at this place.'],
  'missing-key': ['error', 'A required key is missing.'],
  'wrong-type': ['error', 'A value of the wrong type.'],
  'invalid-value': ['error', 'A value that is not one of the allowed values.'],
  'invalid-format': ['error', 'A value that does not have the required format.'],
  'invalid-name': [
    'error',
    'A source or target name that cannot be used as a directory name and tag.',
  ],
  'out-of-range': ['error', 'A number, list or mapping that is too small or too large.'],
  'relative-path': [
    'error',
    'A path that is not absolute; cron and systemd start in another directory.',
  ],
  'duplicate-item': ['error', 'A list item that appears twice.'],
  // Semantics
  'literal-secret': ['warning', 'A secret written into the spec instead of referenced.'],
  'conflicting-keys': ['error', 'Keys that cannot be used together.'],
  'retention-keeps-nothing': ['error', 'A retention policy that would forget every snapshot.'],
  'retention-without-target': [
    'warning',
    'Retention or checks are configured but no restic target is.',
  ],
  'no-destination': [
    'error',
    'Neither a restic target nor a local archive: the run would keep nothing.',
  ],
  'invalid-cron': ['error', 'A schedule that is not a valid cron expression.'],
  'unknown-repository-scheme': ['error', 'A repository location restic does not know.'],
  'path-overlap': [
    'error',
    'Staging, archive or repository directories inside a source, or a source inside them.',
  ],
  'archive-defeats-dedup': [
    'warning',
    'A compressed archive pushed to restic is stored again in full every run.',
  ],
  'unknown-reference': ['error', 'A name that refers to no source or target.'],
  'reserved-name': ['error', 'A source name the staging layout itself uses (manifest.json).'],
  'copy-without-stop-hook': [
    'warning',
    'A plain copy of a SQLite database while the application may be writing to it.',
  ],
} as const satisfies Record<string, readonly ['error' | 'warning' | 'info', string]>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export function severityOf(code: DiagnosticCode): 'error' | 'warning' | 'info' {
  return DIAGNOSTIC_CODES[code][0];
}
