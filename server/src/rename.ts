import type { Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import type { DocumentAnalysis } from './analysis';
import { locationOf, siteUnder } from './definition';
import { sameName } from './name-index';
import { yamlScalar } from './yaml-scalar';

/** The rule of backup.schema.json's `name`: it names a directory and a restic tag. */
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export type RenameResult = { ok: true; edit: WorkspaceEdit } | { ok: false; message: string };

/** The name under the cursor, when it is a source or target name that can be renamed. */
export function prepareRenameAt(
  analysis: DocumentAnalysis,
  position: Position,
): { range: Range; placeholder: string } | undefined {
  const found = siteUnder(analysis, position);
  if (!found) return undefined;
  return { range: locationOf(analysis, found.site).range, placeholder: found.site.name };
}

/**
 * Renames a source (its key and every target list that names it) or a target. Refuses a name
 * the schema would reject or one that is already taken, rather than produce a broken spec.
 */
export function renameAt(
  analysis: DocumentAnalysis,
  position: Position,
  newName: string,
): RenameResult {
  const found = siteUnder(analysis, position);
  if (!found) return { ok: false, message: 'only the name of a source or target can be renamed' };
  const { site, sites } = found;
  if (!NAME_PATTERN.test(newName)) {
    return {
      ok: false,
      message: `"${newName}" is not a valid ${site.kind} name: use letters, digits, "_", "." and "-", starting with a letter or digit, at most 64 characters`,
    };
  }
  const taken = sites.some(
    (other) => other.kind === site.kind && other.role === 'declaration' && other.name === newName,
  );
  if (taken && newName !== site.name) {
    return { ok: false, message: `there is already a ${site.kind} named "${newName}"` };
  }
  const edits: TextEdit[] = sameName(sites, site).map((other) => ({
    range: locationOf(analysis, other).range,
    newText: other.quoted ? newName : yamlScalar(newName),
  }));
  return { ok: true, edit: { changes: { [analysis.uri]: edits } } };
}
