import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import type { FileChunkRecord, RunnerRecord } from '../../runner/src/protocol';
import { runnerBin } from '../support/paths';
import type { OpsStack } from './support/ops-stack';
import { cli, makeOpsStack, record } from './support/ops-stack';

/** The raw stdout of `backup-runner cat` (no --json): the file's bytes. */
async function catRaw(args: string[]) {
  const result = await execa('node', [runnerBin, 'cat', ...args], {
    reject: false,
    stdin: 'ignore',
    encoding: 'buffer',
    stripFinalNewline: false,
  });
  return {
    exitCode: result.exitCode,
    stdout: Buffer.from(result.stdout),
    stderr: Buffer.from(result.stderr).toString(),
  };
}

function joinChunks(records: RunnerRecord[]): Buffer {
  return Buffer.concat(
    records
      .filter((r): r is FileChunkRecord => r.type === 'file-chunk')
      .map((r) => Buffer.from(r.data, 'base64')),
  );
}

describe('cat: one file of a snapshot', () => {
  let stack: OpsStack;
  let spec: string;
  let binary: Buffer;
  let text: Buffer;
  let config: string;

  before(async () => {
    stack = await makeOpsStack();
    // Every byte value, NULs and invalid UTF-8 included, and a size that spans many chunks.
    binary = Buffer.concat([Buffer.from([0, 255, 0xc3, 0x28, 13, 10]), randomBytes(700_000)]);
    await writeFile(join(stack.app, 'etc', 'geoip.bin'), binary);
    text = await readFile(join(stack.app, 'etc', 'tracker.toml'));
    spec = await stack.spec();
    await cli(['run', '-c', spec]);
    config = `config${stack.app}`;
  });
  after(() => stack?.cleanup());

  test('prints a text file byte for byte, raw and as --json chunks', async () => {
    const raw = await catRaw(['-c', spec, 'latest', `${config}/etc/tracker.toml`]);
    assert.equal(raw.exitCode, 0, raw.stderr);
    assert.equal(raw.stdout.toString('latin1'), text.toString('latin1'));
    const json = await cli(['cat', '-c', spec, 'latest', `${config}/etc/tracker.toml`]);
    const file = record(json, 'file');
    assert.equal(file.size, text.length);
    assert.equal(file.originalPath, `${stack.app}/etc/tracker.toml`);
    assert.equal(file.sourceType, 'files');
    assert.equal(joinChunks(json.records).toString('latin1'), text.toString('latin1'));
    assert.equal(json.records[0]?.type, 'file', 'the file record comes before its bytes');
  });

  test('prints a binary file byte for byte, raw and as --json chunks', async () => {
    const path = `${config}/etc/geoip.bin`;
    const raw = await catRaw(['-c', spec, 'latest', path]);
    assert.equal(raw.exitCode, 0, raw.stderr);
    assert.equal(raw.stdout.length, binary.length);
    assert.ok(raw.stdout.equals(binary));
    const json = await cli(['cat', '-c', spec, 'latest', path]);
    assert.ok(joinChunks(json.records).equals(binary));
    assert.ok(json.records.filter((r) => r.type === 'file-chunk').length > 1, 'streamed in chunks');
  });

  test('refuses a file above the size limit before reading it, saying both sizes', async () => {
    const path = `${config}/etc/geoip.bin`;
    const json = await cli(['cat', '-c', spec, 'latest', path, '--max-bytes', '100000'], 1);
    const error = record(json, 'error').error;
    assert.equal(error.code, 'file-too-large');
    assert.match(error.message, /geoip\.bin is 683\.6 KiB, above the limit of 97\.7 KiB/);
    assert.match(error.hint ?? '', /restore/);
    assert.ok(!json.records.some((r) => r.type === 'file-chunk' || r.type === 'file'));
    const raw = await catRaw(['-c', spec, 'latest', path, '--max-bytes', '100000']);
    assert.equal(raw.exitCode, 1);
    assert.equal(raw.stdout.length, 0, 'no byte of it on stdout');
    assert.match(raw.stderr, /above the limit/);
  });

  test('a path the snapshot lacks is not-in-snapshot; a folder or a source is not-a-file', async () => {
    for (const path of [`${config}/etc/missing.toml`, `${config}/nowhere/tracker.toml`]) {
      const json = await cli(['cat', '-c', spec, 'latest', path], 1);
      assert.equal(record(json, 'error').error.code, 'not-in-snapshot', path);
    }
    for (const path of [`${config}/etc`, 'config']) {
      const json = await cli(['cat', '-c', spec, 'latest', path], 1);
      assert.equal(record(json, 'error').error.code, 'not-a-file', path);
    }
    const usage = await cli(['cat', '-c', spec, 'latest'], 2);
    assert.equal(record(usage, 'error').error.code, 'usage');
  });

  test('--sqlite-summary gives tables, row counts and integrity_check of a SQLite source', async () => {
    const listing = record(await cli(['ls', '-c', spec, 'latest', 'tracker-db']), 'listing');
    const database = listing.entries.find((e) => e.type === 'file');
    assert.ok(database, JSON.stringify(listing));
    const json = await cli(['cat', '-c', spec, 'latest', database.path, '--sqlite-summary']);
    const summary = record(json, 'sqlite-summary');
    assert.deepEqual(summary.integrity, ['ok']);
    assert.deepEqual(summary.tables, [{ name: 'torrents', rows: 3000 }]);
    assert.ok(summary.pageSize > 0 && summary.size === database.size);
    const notSqlite = await cli(
      ['cat', '-c', spec, 'latest', `${config}/etc/tracker.toml`, '--sqlite-summary'],
      1,
    );
    assert.equal(record(notSqlite, 'error').error.code, 'not-sqlite');
  });

  test('"current" reads a files source\'s file as it is on the host now, and nothing outside it', async () => {
    const live = join(stack.app, 'etc', 'tracker.toml');
    const changed = '[core]\nlisten = "0.0.0.0:7070"\n';
    await writeFile(live, changed);
    try {
      const json = await cli(['cat', '-c', spec, 'current', `${config}/etc/tracker.toml`]);
      assert.equal(record(json, 'file').originalPath, live);
      assert.equal(joinChunks(json.records).toString(), changed);
      const old = await cli(['cat', '-c', spec, 'latest', `${config}/etc/tracker.toml`]);
      assert.equal(joinChunks(old.records).toString(), text.toString());
    } finally {
      await writeFile(live, text);
    }
    const outside = await cli(['cat', '-c', spec, 'current', 'config/etc/passwd'], 1);
    assert.equal(record(outside, 'error').error.code, 'not-in-source');
    const database = await cli(['cat', '-c', spec, 'current', 'tracker-db/tracker.db'], 1);
    assert.equal(record(database, 'error').error.code, 'not-a-file');
  });
});
