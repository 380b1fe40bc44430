// Types of scripts/import-direction.mjs for the TypeScript that imports it (the tests).
export interface RunnerLayer {
  name: string;
  members: string[];
}
export interface ImportViolation {
  file: string;
  reason: string;
}
export const RUNNER_LAYERS: RunnerLayer[];
export const RUNNER_PACKAGE: string;
export function importViolation(
  root: string,
  fromFile: string,
  specifier: string,
): string | undefined;
export function findImportViolations(root: string): ImportViolation[];
export const importDirectionPlugin: { rules: Record<string, unknown> };
