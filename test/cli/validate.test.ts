import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { execa } from 'execa';
import { decodeRecord } from '../../runner/src/protocol';
import type { ValidationRecord } from '../../runner/src/protocol';
import { validateSpec } from '../../runner/src/spec/index';
import { fixture, repoRoot, runnerBin } from '../support/paths';

const runner = (args: string[]) =>
  execa('node', [runnerBin, ...args], { cwd: repoRoot, reject: false });
const scratch = mkdtempSync(join(tmpdir(), 'backup-yaml-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('backup-runner validate (the bundled CLI)', () => {
  test('the examples validate clean with exit 0, through npx from the repository root', async () => {
    // Every spec under examples/, the Compose examples' too (not their compose files).
    const examples = readdirSync(join(repoRoot, 'examples'), { recursive: true })
      .map(String)
      .filter((name) => /(^|[./])backup(\.[\w-]+)?\.ya?ml$/.test(name))
      .map((name) => join('examples', name));
    const result = await execa('npx', ['--no-install', 'backup-runner', 'validate', ...examples], {
      cwd: repoRoot,
      reject: false,
    });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      new RegExp(`${examples.length} files checked: 0 errors, 0 warnings`),
    );
  });

  test('an unknown key on line N is printed gcc-style at line N with a did-you-mean, exit 1', async () => {
    const text = readFileSync(fixture('clean-minimal.yaml'), 'utf8').replace(
      '    path: /opt',
      '    pth: /opt',
    );
    const file = join(scratch, 'typo.backup.yaml');
    writeFileSync(file, text);
    const line = text.split('\n').findIndex((l) => l.includes('pth:')) + 1;
    const result = await runner(['validate', file]);
    assert.equal(result.exitCode, 1);
    assert.equal(
      result.stdout,
      `${file}:${line}:5: error: unknown key "pth" in sqlite source "tracker-db"; did you mean "path"? [unknown-key]`,
    );
  });

  test('warnings alone exit 0 and are printed', async () => {
    const result = await runner([
      'validate',
      fixture('archive-tar-push.yaml'),
      fixture('secrets.yaml'),
    ]);
    assert.equal(result.exitCode, 1, 'secrets.yaml has errors too');
    const warnOnly = join(scratch, 'warn.yaml');
    writeFileSync(
      warnOnly,
      readFileSync(fixture('clean-minimal.yaml'), 'utf8').replace(
        '    password_file: /etc/torrust/restic.pw',
        '    password: literal',
      ),
    );
    const warned = await runner(['validate', warnOnly]);
    assert.equal(warned.exitCode, 0);
    assert.match(warned.stdout, /^.*warn\.yaml:11:15: warning: .* \[literal-secret\]$/);
  });

  test('prints exactly the spec module diagnostics, 1-based, for every golden fixture', async () => {
    const dir = join(repoRoot, 'test', 'fixtures', 'spec');
    const files = readdirSync(dir).map((name) => join(dir, name));
    const result = await runner(['validate', ...files]);
    const expected = files.flatMap((file) =>
      validateSpec(readFileSync(file, 'utf8')).diagnostics.map(
        (d) =>
          `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message} [${d.code}]`,
      ),
    );
    assert.deepEqual(result.stdout.split('\n'), expected);
    assert.equal(result.exitCode, 1);
  });

  test('--json prints one validation record per file with 0-based ranges', async () => {
    const result = await runner([
      'validate',
      '--json',
      fixture('unknown-keys.yaml'),
      fixture('clean-minimal.yaml'),
    ]);
    assert.equal(result.exitCode, 1);
    const records = result.stdout.split('\n').map((line) => decodeRecord(line) as ValidationRecord);
    assert.equal(records.length, 2);
    assert.equal(records[0]?.type, 'validation');
    assert.equal(records[0]?.ok, false);
    assert.equal(records[0]?.errors, 5);
    assert.deepEqual(records[0]?.diagnostics[0]?.range.start, { line: 1, character: 0 });
    assert.deepEqual(records[1], {
      type: 'validation',
      file: fixture('clean-minimal.yaml'),
      ok: true,
      errors: 0,
      warnings: 0,
      diagnostics: [],
    });
  });

  test('a file that cannot be read exits 2, also alongside valid files', async () => {
    const result = await runner([
      'validate',
      fixture('clean-minimal.yaml'),
      join(scratch, 'missing.yaml'),
    ]);
    assert.equal(result.exitCode, 2);
    assert.match(result.stderr, /missing\.yaml: cannot read: ENOENT/);
    const json = await runner(['validate', '--json', join(scratch, 'missing.yaml')]);
    assert.equal(json.exitCode, 2);
    assert.match((decodeRecord(json.stdout) as ValidationRecord).readError ?? '', /ENOENT/);
  });

  test('a byte-order mark does not shift columns', async () => {
    const file = join(scratch, 'bom.yaml');
    writeFileSync(file, `\uFEFFversi0n: 1\n`);
    const result = await runner(['validate', file]);
    assert.match(result.stdout, /bom\.yaml:1:1: error: unknown key "versi0n"/);
  });

  test('usage errors exit 2; --help and --version exit 0', async () => {
    assert.equal((await runner([])).exitCode, 2);
    assert.equal((await runner(['validate'])).exitCode, 2);
    assert.equal((await runner(['frobnicate'])).exitCode, 2);
    assert.equal((await runner(['validate', '--bogus', 'x'])).exitCode, 2);
    const help = await runner(['--help']);
    assert.equal(help.exitCode, 0);
    assert.match(help.stdout, /validate +check backup.yaml files/);
    assert.match(help.stdout, /run +run a backup/);
    const validateHelp = await runner(['validate', '--help']);
    assert.match(validateHelp.stdout, /Exit status: 0 no errors/);
    const version = await runner(['--version']);
    assert.equal(
      version.stdout,
      JSON.parse(readFileSync(join(repoRoot, 'runner', 'package.json'), 'utf8')).version,
    );
  });
});
