import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { allModules } from '../../runner/src/sources/registry';
import { repoRoot } from '../support/paths';

const SOURCE_TYPES = new Set<string>(allModules().map(([type]) => type));
/** Where a source's type may be tested: its own module, and the spec module that validates it. */
const ALLOWED = ['runner/src/sources/', 'runner/src/spec/'];

/** `x === 'sqlite'`, `'files' !== y` and `case 'mysql':` in a file's text, as `line: code`. */
function typeTests(fileName: string, text: string): string[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const isType = (node: ts.Node) => ts.isStringLiteralLike(node) && SOURCE_TYPES.has(node.text);
  const report = (node: ts.Node) => {
    const { line } = file.getLineAndCharacterOfPosition(node.getStart());
    found.push(`${line + 1}: ${node.getText()}`);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node)) {
      const kind = node.operatorToken.kind;
      const equality =
        kind === ts.SyntaxKind.EqualsEqualsEqualsToken ||
        kind === ts.SyntaxKind.ExclamationEqualsEqualsToken;
      if (equality && (isType(node.left) || isType(node.right))) report(node);
    }
    if (ts.isCaseClause(node) && isType(node.expression)) report(node.expression);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function runnerFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return runnerFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

test('no runner module outside sources/ and spec/ tests a source type; it asks the module', () => {
  const found = runnerFiles(join(repoRoot, 'runner', 'src'))
    .map((path) => relative(repoRoot, path))
    .filter((path) => !ALLOWED.some((allowed) => path.startsWith(allowed)))
    .flatMap((path) =>
      typeTests(path, readFileSync(join(repoRoot, path), 'utf8')).map((hit) => `${path}:${hit}`),
    );
  assert.deepEqual(found, []);
});

test('the finder sees comparisons and case labels of source types, and nothing else', () => {
  const code = [
    "if (source.type === 'sqlite') go();",
    "const other = 'files' !== kind;",
    "switch (t) { case 'postgres': break; case 'tar': break; }",
    "const spec = { type: 'mysql' };",
    "if (name === 'tracker') go();",
  ].join('\n');
  assert.deepEqual(typeTests('fixture.ts', code), [
    "1: source.type === 'sqlite'",
    "2: 'files' !== kind",
    "3: 'postgres'",
  ]);
});
