import * as assert from 'node:assert/strict';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import { stringify } from 'yaml';
import { runnerBin } from '../support/paths';
import type { Workdir } from '../support/runner-cli';
import { makeWorkdir, runCli, toResult } from '../support/runner-cli';

/** write-spec with `text` on stdin. */
async function writeSpec(path: string, text: string) {
  const result = await execa('node', [runnerBin, 'write-spec', '-c', path, '--json'], {
    input: text,
    reject: false,
  });
  return toResult(result.exitCode ?? -1, String(result.stdout), String(result.stderr));
}

describe('read-spec and write-spec: what Deploy spec… does on the host', () => {
  let work: Workdir;
  const valid = stringify({
    version: 1,
    name: 'deployed',
    sources: { config: { type: 'files', paths: ['/etc/hostname'] } },
    staging: { dir: '/var/backups/deployed' },
    targets: { local: { repository: '/srv/restic', password_file: '/etc/restic.pw' } },
  });
  before(async () => {
    work = await makeWorkdir();
  });
  after(() => work.cleanup());

  test('read-spec of a missing file says so, with exit 0', async () => {
    const result = await runCli(['read-spec', '-c', work.path('none.yaml'), '--json']);
    assert.equal(result.exitCode, 0);
    assert.deepEqual(result.records, [
      { type: 'spec-file', path: work.path('none.yaml'), exists: false },
    ]);
  });

  test('write-spec writes mode 0600 through a temporary name, and read-spec gives it back', async () => {
    const path = work.path('backup.yaml');
    await writeFile(path, 'old\n', { mode: 0o644 });
    const result = await writeSpec(path, valid);
    assert.equal(result.exitCode, 0, result.stdout + result.stderr);
    const [record] = result.records;
    assert.ok(record?.type === 'spec-written');
    assert.equal(record.created, false);
    assert.equal(record.validation.ok, true);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal(await readFile(path, 'utf8'), valid);
    assert.deepEqual(
      (await readdir(work.dir)).filter((n) => n.endsWith('.tmp')),
      [],
      'no temporary file left',
    );
    const read = await runCli(['read-spec', '-c', path, '--json']);
    const [file] = read.records;
    assert.ok(file?.type === 'spec-file' && file.exists);
    assert.equal(file.text, valid);
    assert.equal(file.mode, 0o600);
  });

  test('an invalid spec is refused with its diagnostics, and the file is left as it was', async () => {
    const path = work.path('keep.yaml');
    await writeFile(path, valid);
    const result = await writeSpec(path, valid.replace('paths:', 'pths:'));
    assert.equal(result.exitCode, 1);
    const [record] = result.records;
    assert.ok(record?.type === 'error');
    assert.equal(record.error.code, 'spec-invalid');
    assert.ok(record.diagnostics?.some((d) => d.code === 'unknown-key'));
    assert.equal(await readFile(path, 'utf8'), valid);
  });
});
