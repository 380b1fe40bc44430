import type { DiagnosticCode } from './codes';

export type Severity = 'error' | 'warning' | 'info';

/** A 0-based position; `character` counts UTF-16 code units, as LSP does. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A path into the spec value, as ajv and the YAML AST both understand it. */
export type SpecPath = readonly (string | number)[];

/**
 * One problem found in a backup.yaml. The CLI prints it gcc-style and the language server
 * publishes it unchanged, so both show the same code at the same range.
 */
export interface Diagnostic {
  severity: Severity;
  code: DiagnosticCode;
  message: string;
  range: Range;
  /** Machine-readable details for quick fixes (did-you-mean, allowed values, secret location). */
  data?: DiagnosticData;
}

export type DiagnosticData =
  | { kind: 'unknown-key'; path: SpecPath; key: string; suggestions: string[] }
  | { kind: 'invalid-value'; path: SpecPath; allowed: (string | number | boolean)[] }
  | { kind: 'missing-key'; path: SpecPath; keys: string[] }
  | { kind: 'literal-secret'; path: SpecPath; envName: string; fileKey?: string }
  | { kind: 'unknown-reference'; path: SpecPath; name: string; suggestions: string[] };

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    a.code.localeCompare(b.code)
  );
}
