import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Diagnostic } from '../../runner/src/spec/index';
import { validateSpec } from '../../runner/src/spec/index';

/** The text a diagnostic's range covers. */
function covered(text: string, d: Diagnostic): string {
  const lines = text.split('\n');
  if (d.range.start.line !== d.range.end.line) throw new Error('expected a one-line range');
  return (lines[d.range.start.line] ?? '').slice(d.range.start.character, d.range.end.character);
}

function only(text: string, code: string): Diagnostic {
  const found = validateSpec(text).diagnostics.filter((d) => d.code === code);
  assert.equal(found.length, 1, `one ${code} in ${JSON.stringify(validateSpec(text).diagnostics)}`);
  return found[0] as Diagnostic;
}

const base = `version: 1
sources:
  db:
    type: sqlite
    path: /srv/db.sqlite
staging:
  dir: /var/backups/staging
targets:
  local:
    repository: /srv/restic
`;

describe('diagnostic ranges', () => {
  test('an unknown key covers exactly the key, with a did-you-mean in message and data', () => {
    const text = base.replace(
      '    path: /srv/db.sqlite',
      '    path: /srv/db.sqlite\n    metod: snapshot',
    );
    const d = only(text, 'unknown-key');
    assert.equal(d.range.start.line, 5);
    assert.equal(covered(text, d), 'metod');
    assert.match(d.message, /did you mean "method"\?/);
    assert.deepEqual(d.data, {
      kind: 'unknown-key',
      path: ['sources', 'db', 'metod'],
      key: 'metod',
      suggestions: ['method'],
    });
  });

  test('an invalid enum value covers the value and lists what is allowed', () => {
    const text = base.replace(
      '    path: /srv/db.sqlite',
      '    path: /srv/db.sqlite\n    method: "vacum"',
    );
    const d = only(text, 'invalid-value');
    assert.equal(covered(text, d), '"vacum"');
    assert.deepEqual(d.data, {
      kind: 'invalid-value',
      path: ['sources', 'db', 'method'],
      allowed: ['snapshot', 'vacuum', 'copy'],
    });
    assert.match(d.message, /did you mean "vacuum"\?/);
  });

  test('a missing required key lands on the key of the mapping that lacks it', () => {
    const text = base.replace('    path: /srv/db.sqlite\n', '');
    const d = only(text, 'missing-key');
    assert.equal(covered(text, d), 'db');
    assert.deepEqual(d.data, { kind: 'missing-key', path: ['sources', 'db'], keys: ['path'] });
  });

  test('a key missing at the top level lands on the first key, not on the whole document', () => {
    const text = 'version: 1\nname: x\n';
    const d = validateSpec(text).diagnostics.find((x) => x.code === 'missing-key');
    assert.ok(d);
    assert.equal(covered(text, d), 'version');
    assert.match(d.message, /"sources" and "staging"/);
  });

  test('an empty value is reported on its key', () => {
    const text = base.replace('staging:\n  dir: /var/backups/staging\n', 'staging:\n');
    const d = only(text, 'wrong-type');
    assert.equal(covered(text, d), 'staging');
    assert.match(d.message, /must be a mapping, not empty/);
  });

  test('a wrong-typed block mapping is reported on its key, not across all its lines', () => {
    const text = base.replace(
      '  dir: /var/backups/staging\n',
      '  - /var/backups/staging\n  - /var/backups/other\n',
    );
    const d = only(text, 'wrong-type');
    assert.equal(covered(text, d), 'staging');
  });

  test('a problem inside an anchor is reported where the alias uses it', () => {
    const text = `version: 1
x-bad: &bad { type: sqlite, path: /srv/db.sqlite, method: fast }
sources:
  db: *bad
staging: { dir: /var/backups/staging }
archive: { dir: /var/backups/archive }
`;
    const d = only(text, 'invalid-value');
    assert.equal(d.range.start.line, 3);
    assert.equal(covered(text, d), '*bad');
  });

  test('a duplicate key is reported at its second occurrence', () => {
    const text = `${base}staging:\n  dir: /tmp/x\n`;
    const d = only(text, 'duplicate-key');
    assert.equal(d.range.start.line, 10);
    assert.equal(covered(text, d), 'staging');
  });

  test('columns count UTF-16 code units, as LSP and VS Code do', () => {
    const text = base.replace(
      '    path: /srv/db.sqlite',
      '    path: /srv/db.sqlite\n    "métod😀": x',
    );
    const d = only(text, 'unknown-key');
    assert.equal(d.range.start.character, 4);
    assert.equal(d.range.end.character, 4 + '"métod😀"'.length);
  });

  test('CRLF line endings give the same positions as LF', () => {
    const lf = base.replace('    path: /srv/db.sqlite', '    pth: /srv/db.sqlite');
    const crlf = lf.replace(/\n/g, '\r\n');
    assert.deepEqual(
      validateSpec(crlf).diagnostics.map((d) => d.range),
      validateSpec(lf).diagnostics.map((d) => d.range),
    );
  });

  test('every diagnostic of the unknown-key fixture set stays on one line', () => {
    const text = base.replace('staging:', 'stagin:');
    for (const d of validateSpec(text).diagnostics)
      assert.equal(d.range.start.line, d.range.end.line);
  });
});

describe('validateSpec result', () => {
  test('a valid spec comes back typed, warnings allowed', () => {
    const text = base.replace(
      '    repository: /srv/restic',
      '    repository: /srv/restic\n    password: literal',
    );
    const result = validateSpec(text);
    assert.deepEqual(
      result.diagnostics.map((d) => d.code),
      ['literal-secret'],
    );
    assert.equal(result.spec?.sources['db']?.type, 'sqlite');
    assert.equal(result.spec?.staging.dir, '/var/backups/staging');
  });

  test('a spec with an error has no typed value', () => {
    assert.equal(validateSpec(base.replace('version: 1', 'version: 3')).spec, undefined);
  });
});
