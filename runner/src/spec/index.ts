import { severityOf } from './codes';
import type { Diagnostic } from './diagnostic';
import { compareDiagnostics } from './diagnostic';
import { DiagnosticReporter } from './reporter';
import { reportSchemaProblems } from './schema-diagnostics';
import { reportSemanticProblems } from './semantic/index';
import type { Spec } from './types';
import type { ParsedYaml } from './yaml-parse';
import { parseYaml } from './yaml-parse';

export type { Diagnostic, DiagnosticData, Position, Range, Severity, SpecPath } from './diagnostic';
export type { DiagnosticCode } from './codes';
export { DIAGNOSTIC_CODES } from './codes';
export type { ParsedYaml } from './yaml-parse';
export { ReusingParser } from './parse-reuse/index';
export type * from './types';
// What the language server reads of the spec module beyond validation (it imports only this
// file, through the `backup-runner/spec` export).
export { TextPositions } from './positions';
export type { DiscriminatorReader } from './schema-walk';
export { schemasAt } from './schema-walk';
export type { JsonSchema } from './schema';
export { resolveRef } from './schema';
export { locate } from './yaml-locate';
export { cronFields, parseCron } from './cron';
export { plural, rawValueAt } from './describe';
export { suggest } from './suggest';

export interface SpecValidation {
  /** The typed spec, present only when there is no error (warnings allowed). */
  spec: Spec | undefined;
  /** Sorted by position; at most MAX_DIAGNOSTICS plus one `too-many-problems`. */
  diagnostics: Diagnostic[];
  /** The YAML document and positions, for language features. */
  parsed: ParsedYaml;
}

export const MAX_DIAGNOSTICS = 500;

/** YAML problems after which the document's structure is a guess, so schema errors would be noise. */
const STRUCTURAL_CODES = new Set([
  'yaml-syntax',
  'tab-indent',
  'too-deep',
  'too-large',
  'empty-spec',
  'multiple-documents',
  'alias-limit',
  'unresolved-alias',
  'recursive-alias',
]);

/** Reads the YAML of a backup.yaml: parseYaml, or a ReusingParser's parse of a new version. */
export type SpecParse = (text: string) => ParsedYaml;

/**
 * Parses and validates a backup.yaml. The one entry point for the CLI and the language server;
 * it never throws, whatever the input.
 */
export function validateSpec(text: string): SpecValidation {
  return validateParsed(parseSpec(text));
}

/**
 * The YAML document of a backup.yaml and its YAML problems, without the schema and semantic
 * checks: what the editor's typing-time requests need. Never throws.
 */
export function parseSpec(text: string, parse: SpecParse = parseYaml): ParsedYaml {
  try {
    return parse(text);
  } catch (error) {
    const empty = parseYaml('');
    return { ...empty, text, diagnostics: [internalError(error)] };
  }
}

/** The schema and semantic checks of a parsed spec, and the result validateSpec gives. */
export function validateParsed(parsed: ParsedYaml): SpecValidation {
  const diagnostics = [...parsed.diagnostics];
  const structural = diagnostics.some((d) => STRUCTURAL_CODES.has(d.code));
  if (!structural && parsed.value !== undefined) {
    const reporter = new DiagnosticReporter(parsed);
    try {
      reportSchemaProblems(parsed.value, reporter);
      reportSemanticProblems(parsed.value, reporter);
    } catch (error) {
      diagnostics.push(internalError(error));
    }
    diagnostics.push(...reporter.diagnostics);
  }
  const sorted = dedupe(diagnostics.sort(compareDiagnostics));
  const shown = capped(sorted);
  const hasErrors = sorted.some((d) => d.severity === 'error');
  return { spec: hasErrors ? undefined : (parsed.value as Spec), diagnostics: shown, parsed };
}

function internalError(error: unknown): Diagnostic {
  const message = error instanceof Error ? error.message : String(error);
  return {
    severity: severityOf('internal-error'),
    code: 'internal-error',
    message: `the validator failed; this is a bug in backup-yaml: ${message}`,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  };
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}|${d.message}|${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function capped(diagnostics: Diagnostic[]): Diagnostic[] {
  if (diagnostics.length <= MAX_DIAGNOSTICS) return diagnostics;
  const shown = diagnostics.slice(0, MAX_DIAGNOSTICS);
  const last = shown.at(-1)?.range ?? {
    start: { line: 0, character: 0 },
    end: { line: 0, character: 0 },
  };
  shown.push({
    severity: severityOf('too-many-problems'),
    code: 'too-many-problems',
    message: `${diagnostics.length - MAX_DIAGNOSTICS} more problems are not listed`,
    range: last,
  });
  return shown;
}
