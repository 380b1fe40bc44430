import { isScalar } from 'yaml';
import type { Scalar } from 'yaml';
import { CodeActionKind } from 'vscode-languageserver';
import type {
  CodeAction,
  Diagnostic as LspDiagnostic,
  Range,
  TextEdit,
} from 'vscode-languageserver';
import type { DiagnosticData, SpecPath } from 'backup-runner/spec';
import { rawValueAt, schemasAt, suggest, locate } from 'backup-runner/spec';
import type { DocumentAnalysis } from './analysis';
import { missingKeysEdit } from './missing-keys';
import { yamlScalar } from './yaml-scalar';

/** An invalid enum lists its allowed values; more than this would bury the useful ones. */
const MAX_VALUE_FIXES = 12;

/**
 * Quick fixes for the diagnostics in a code-action request, built from the `data` the validator
 * attached to each: did-you-mean for unknown keys and names, each allowed value of an invalid
 * one, a reference instead of a literal secret, the required keys that are missing.
 */
export function codeActionsFor(
  analysis: DocumentAnalysis,
  diagnostics: LspDiagnostic[],
  only?: string[],
): CodeAction[] {
  if (only && !only.some((kind) => CodeActionKind.QuickFix.startsWith(kind))) return [];
  const ours = diagnostics.filter((d) => d.source === undefined || d.source === 'backup-yaml');
  if (ours.length === 0) return [];
  const known = analysis.validation.diagnostics;
  return ours.flatMap((shown) => {
    // The fix is computed from this version's validation; a diagnostic from another version
    // matches nothing, so no edit lands on text that has moved.
    const current = known.find((d) => d.code === shown.code && sameRange(d.range, shown.range));
    return current?.data ? fixesFor(analysis, current.data, shown) : [];
  });
}

function fixesFor(
  analysis: DocumentAnalysis,
  data: DiagnosticData,
  shown: LspDiagnostic,
): CodeAction[] {
  const fix = (title: string, edit: TextEdit | undefined, isPreferred = false): CodeAction[] => {
    if (!edit) return [];
    const action: CodeAction = {
      title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [shown],
      edit: { changes: { [analysis.uri]: [edit] } },
    };
    if (isPreferred) action.isPreferred = true;
    return [action];
  };
  const { parsed } = analysis;
  const doc = parsed.doc;
  if (!doc) return [];
  const located = locate(doc, data.path);
  if (located.via) return [];
  const replace = (node: { range?: readonly number[] | null } | undefined, text: string) => {
    const [start, end] = node?.range ?? [];
    if (start === undefined || end === undefined) return undefined;
    return { range: parsed.positions.rangeOf(start, end), newText: text } satisfies TextEdit;
  };
  switch (data.kind) {
    case 'unknown-key':
      return data.suggestions.flatMap((suggestion, i) =>
        fix(
          `Change "${data.key}" to "${suggestion}"`,
          replace(located.key, yamlScalar(suggestion)),
          i === 0,
        ),
      );
    case 'unknown-reference':
      return data.suggestions.flatMap((suggestion, i) =>
        fix(
          `Change "${data.name}" to "${suggestion}"`,
          replace(scalar(located.value), sameQuotes(scalar(located.value), suggestion)),
          i === 0,
        ),
      );
    case 'invalid-value': {
      const value = scalar(located.value);
      if (!value) return [];
      const allowed = fittingValues(parsed.value, data.path, data.allowed);
      const best = suggest(String(value.value), allowed.map(String))[0];
      return allowed
        .slice(0, MAX_VALUE_FIXES)
        .flatMap((allowed) =>
          fix(
            `Change to ${JSON.stringify(allowed)}`,
            replace(value, sameQuotes(value, allowed)),
            String(allowed) === best,
          ),
        );
    }
    case 'literal-secret':
      return secretFixes(analysis, data, located, fix);
    case 'missing-key': {
      const read = (path: SpecPath, property: string) =>
        rawValueAt(parsed.value, [...path, property]);
      const edit = missingKeysEdit(doc, parsed.text, parsed.positions, data.path, data.keys, read);
      const what = data.keys.map((key) => `"${key}"`).join(', ');
      return fix(`Add the missing ${data.keys.length === 1 ? 'key' : 'keys'} ${what}`, edit, true);
    }
  }
}

/**
 * For a discriminator (a source's `type`), the values whose kind accepts every key the mapping
 * already has: `paths` rules out `sqlite`. Other values are all offered.
 */
function fittingValues(
  root: unknown,
  path: SpecPath,
  allowed: (string | number | boolean)[],
): (string | number | boolean)[] {
  const property = path.at(-1);
  const owner = rawValueAt(root, path.slice(0, -1));
  if (typeof property !== 'string' || typeof owner !== 'object' || owner === null) return allowed;
  const keys = Object.keys(owner);
  const fitting = allowed.filter((candidate) => {
    const [chosen] = schemasAt(path.slice(0, -1), (_path, name) =>
      name === property ? candidate : undefined,
    );
    if (chosen?.properties?.[property]?.const !== candidate) return true;
    return keys.every((key) => key in (chosen.properties ?? {}));
  });
  return fitting.length > 0 ? fitting : allowed;
}

type Fix = (title: string, edit: TextEdit | undefined, isPreferred?: boolean) => CodeAction[];

function secretFixes(
  analysis: DocumentAnalysis,
  data: Extract<DiagnosticData, { kind: 'literal-secret' }>,
  located: ReturnType<typeof locate>,
  fix: Fix,
): CodeAction[] {
  const { parsed } = analysis;
  const value = scalar(located.value);
  const key = located.key;
  if (!value?.range || !key?.range) return [];
  const valueRange = parsed.positions.rangeOf(value.range[0], value.range[1]);
  // A source or target is named by its key; another owner (verify.mysql) by its path.
  const named = data.path[0] === 'sources' || data.path[0] === 'targets';
  const owner = named ? String(data.path[1]) : data.path.slice(0, -1).join('-');
  const actions = fix(`Reference the environment variable ${data.envName} instead`, {
    range: valueRange,
    newText: `{ env: ${data.envName} }`,
  });
  const siblings = rawValueAt(parsed.value, data.path.slice(0, -1));
  const fileKey = data.fileKey;
  if (fileKey && typeof siblings === 'object' && siblings !== null && !(fileKey in siblings)) {
    const file = `/etc/backup-yaml/${owner}.password`;
    actions.unshift(
      ...fix(`Use ${fileKey}: ${file} instead (write the password into that file)`, {
        range: parsed.positions.rangeOf(key.range[0], value.range[1]),
        newText: `${fileKey}: ${file}`,
      }),
    );
  } else if (!fileKey) {
    const file = `/etc/backup-yaml/${owner}-${data.envName.toLowerCase().replace(/_/g, '-')}`;
    actions.push(
      ...fix(`Read it from the file ${file} instead`, {
        range: valueRange,
        newText: `{ file: ${file} }`,
      }),
    );
  }
  if (actions[0]) actions[0].isPreferred = true;
  return actions;
}

function scalar(node: unknown): Scalar | undefined {
  return isScalar(node) ? node : undefined;
}

/** A replacement keeps the quotes the value was written with. */
function sameQuotes(node: Scalar | undefined, value: string | number | boolean): string {
  if (typeof value === 'string' && node?.type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (typeof value === 'string' && node?.type === 'QUOTE_SINGLE')
    return `'${value.replace(/'/g, "''")}'`;
  return yamlScalar(value);
}

function sameRange(a: Range, b: Range): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}
