import { DiagnosticSeverity } from 'vscode-languageserver';
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { Diagnostic, Severity } from 'backup-runner/spec';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** The spec module's diagnostics as LSP diagnostics: same codes, same ranges, same messages. */
export function toLspDiagnostic(diagnostic: Diagnostic): LspDiagnostic {
  const out: LspDiagnostic = {
    range: diagnostic.range,
    severity: SEVERITY[diagnostic.severity],
    code: diagnostic.code,
    source: 'backup-yaml',
    message: diagnostic.message,
  };
  if (diagnostic.data) out.data = diagnostic.data;
  return out;
}
