import type { Diagnostic } from '../spec/index';

/** `FILE:LINE:COL: severity: message [code]`, 1-based, as gcc and most editors' matchers expect. */
export function formatDiagnostic(file: string, diagnostic: Diagnostic): string {
  const { line, character } = diagnostic.range.start;
  return `${file}:${line + 1}:${character + 1}: ${diagnostic.severity}: ${diagnostic.message} [${diagnostic.code}]`;
}
