// The one-way dependency rule of the runner, and the public surface the server and the client
// use. ESLint (eslint.config.mjs) and test/static/import-direction.test.ts both check it with
// these functions, so the rule is written once.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/**
 * The runner's layers, lowest first. A module may import from its own layer or a lower one, never
 * a higher one: cli → commands → domain → infrastructure → contract → spec. Each entry is a
 * folder or a file directly under runner/src; a new one must be placed here (the check says so).
 */
export const RUNNER_LAYERS = [
  { name: 'spec', members: ['spec'] },
  { name: 'contract', members: ['result.ts', 'error-codes.ts', 'exit-status.ts', 'protocol.ts'] },
  {
    name: 'infrastructure',
    members: [
      'restic',
      'staging',
      'process',
      'config.ts',
      'secrets.ts',
      'secret-fifo.ts',
      'lock.ts',
      'hooks.ts',
      'human-log.ts',
    ],
  },
  {
    name: 'domain',
    members: ['sources', 'archive', 'monitoring', 'schedule', 'snapshots', 'restore', 'verify'],
  },
  { name: 'commands', members: ['engine', 'daemon', 'demo'] },
  { name: 'cli', members: ['cli'] },
];

/** What the server and the client may import of the runner: runner/package.json `exports`. */
export const RUNNER_PACKAGE = 'backup-runner';

const RUNNER_SRC = join('runner', 'src');

/** The part of runner/src a file belongs to: its first folder, or its own name at the top. */
function runnerMember(root, file) {
  const inside = relative(join(root, RUNNER_SRC), file);
  if (inside.startsWith('..') || inside === '') return undefined;
  return inside.split(sep)[0];
}

function layerIndex(member) {
  return RUNNER_LAYERS.findIndex((layer) => layer.members.includes(member));
}

/** The file (or folder) a relative import names, as far as the layer rule needs it. */
function resolveRelative(fromFile, specifier) {
  const base = resolve(dirname(fromFile), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.mts`, join(base, 'index.ts')])
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  return base;
}

function within(root, file, folder) {
  const inside = relative(join(root, folder), file);
  return !inside.startsWith('..') && inside !== '';
}

/**
 * Why an import breaks the rule, or undefined when it keeps it. `fromFile` is absolute;
 * `specifier` is the import as written.
 */
export function importViolation(root, fromFile, specifier) {
  const fromRunner = runnerMember(root, fromFile);
  const editorSide = within(root, fromFile, 'server/src') || within(root, fromFile, 'client/src');
  if (fromRunner === undefined && !editorSide) return undefined;
  if (!specifier.startsWith('.')) return undefined;
  const target = resolveRelative(fromFile, specifier);
  const toRunner = runnerMember(root, target);
  if (editorSide) {
    if (toRunner === undefined) return undefined;
    return `${specifier}: the server and the client import the runner only through "${RUNNER_PACKAGE}/…" (runner/package.json exports)`;
  }
  if (toRunner === undefined) {
    if (within(root, target, 'server') || within(root, target, 'client'))
      return `${specifier}: the runner never imports the server or the client`;
    return undefined;
  }
  const from = layerIndex(fromRunner);
  const to = layerIndex(toRunner);
  if (from < 0) return `runner/src/${fromRunner} is in no layer of scripts/import-direction.mjs`;
  if (to < 0)
    return `${specifier}: runner/src/${toRunner} is in no layer of scripts/import-direction.mjs`;
  if (to <= from) return undefined;
  return `${specifier}: ${fromRunner} (${RUNNER_LAYERS[from].name}) must not import ${toRunner} (${RUNNER_LAYERS[to].name}); dependencies point down: ${RUNNER_LAYERS.map(
    (layer) => layer.name,
  )
    .reverse()
    .join(' → ')}`;
}

function sourceFiles(dir) {
  if (!existsSync(dir)) return [];
  if (!statSync(dir).isDirectory()) return /\.m?ts$/.test(dir) ? [dir] : [];
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(path);
      return /\.m?ts$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
    });
}

/**
 * Every member of runner/src in no layer, and every import in runner/src, server/src and
 * client/src under `root` that breaks the rule, read with TypeScript's own import scanner
 * (static imports, re-exports, `import()` and `import type`).
 */
export function findImportViolations(root) {
  const violations = [];
  for (const member of readdirSync(join(root, RUNNER_SRC)).sort())
    if (layerIndex(member) < 0 && sourceFiles(join(root, RUNNER_SRC, member)).length > 0)
      violations.push({
        file: `runner/src/${member}`,
        reason: 'in no layer: place it in RUNNER_LAYERS of scripts/import-direction.mjs',
      });
  for (const folder of [RUNNER_SRC, join('server', 'src'), join('client', 'src')])
    for (const file of sourceFiles(join(root, folder))) {
      const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      for (const imported of importedFiles) {
        const reason = importViolation(root, file, imported.fileName);
        if (reason) violations.push({ file: relative(root, file), reason });
      }
    }
  return violations;
}

/** The ESLint plugin: `import-direction/one-way` reports what importViolation finds. */
export const importDirectionPlugin = {
  rules: {
    'one-way': {
      meta: {
        type: 'problem',
        docs: { description: 'runner layers import downward only; editor code uses exports' },
        schema: [],
      },
      create(context) {
        const root = context.cwd;
        const check = (node) => {
          if (!node.source || typeof node.source.value !== 'string') return;
          const reason = importViolation(root, context.filename, node.source.value);
          if (reason) context.report({ node: node.source, message: reason });
        };
        return {
          ImportDeclaration: check,
          ExportNamedDeclaration: check,
          ExportAllDeclaration: check,
          ImportExpression: check,
        };
      },
    },
  },
};
