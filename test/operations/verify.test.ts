import * as assert from 'node:assert/strict';
import { open, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BackupState } from '../../runner/src/monitoring/state';
import type { VerifyResultRecord, VerifySourceRecord } from '../../runner/src/protocol';
import { runCli } from '../support/runner-cli';
import type { OpsStack } from './support/ops-stack';
import { cli, handmadeSnapshot, makeOpsStack, record } from './support/ops-stack';

describe('verify: the restore drill', () => {
  let stack: OpsStack;
  let spec: string;
  let good: string;
  const scratch = () => stack.work.path('scratch');
  const state = async () =>
    JSON.parse(
      await readFile(join(stack.staging, 'backup-yaml.state.json'), 'utf8'),
    ) as BackupState;
  const verify = async (args: string[], exitCode: number) => {
    const result = await cli(['verify', '-c', spec, ...args], exitCode);
    const sources = result.records.filter(
      (r): r is VerifySourceRecord => r.type === 'verify-source',
    );
    return { result: record(result, 'verify') as VerifyResultRecord, sources };
  };

  before(async () => {
    stack = await makeOpsStack();
    spec = await stack.spec({ verify: { scratch_dir: stack.work.path('scratch') } });
    await cli(['run', '-c', await stack.runSpec()]);
    good = await handmadeSnapshot(stack, { sources: ['tracker-db', 'config'], withSqlite: true });
  });
  after(() => stack?.cleanup());

  test('passes on a good snapshot: every file matches, the database is sound; recorded as lastVerify', async () => {
    const { result, sources } = await verify([], 0);
    assert.equal(result.status, 'ok');
    assert.ok(result.snapshotId.startsWith(good), 'the latest snapshot by default');
    assert.deepEqual(
      sources.map((s) => [s.source, s.sourceType, s.status]),
      [
        ['tracker-db', 'sqlite', 'ok'],
        ['config', 'files', 'ok'],
      ],
    );
    const db = sources[0];
    assert.deepEqual(
      db?.checks.map((c) => [c.name, c.status]),
      [
        ['sha256', 'ok'],
        ['integrity_check', 'ok'],
      ],
    );
    assert.equal(sources[1]?.detail, '2 files match the manifest');
    assert.deepEqual(
      result.sources,
      sources.map(({ type: _type, target: _t, snapshotId: _s, ...rest }) => rest),
    );
    const recorded = (await state()).lastVerify;
    assert.equal(recorded?.status, 'ok');
    assert.equal(recorded?.snapshotId, result.snapshotId);
    assert.equal(recorded?.target, 'local');
    assert.equal(recorded?.at, result.at);
    assert.deepEqual(Object.keys(recorded?.sources ?? {}), ['tracker-db', 'config']);
    assert.deepEqual(await readdir(scratch()), [], 'the scratch copy is removed');
  });

  test('catches a file whose content differs from the manifest (sha256 mismatch)', async () => {
    const envInRun = `config${stack.app}/.env`;
    const damaged = await handmadeSnapshot(stack, {
      sources: ['tracker-db', 'config'],
      withSqlite: true,
      // Same size, one byte changed after hashing: only the sha256 can tell.
      edit: (runDir) => flipByte(join(runDir, envInRun), 5),
    });
    const { result, sources } = await verify([damaged], 1);
    assert.equal(result.status, 'failed');
    const config = sources.find((s) => s.source === 'config');
    assert.equal(config?.status, 'failed');
    assert.equal(config?.checks[0]?.name, 'sha256');
    assert.match(config?.detail ?? '', new RegExp(`${escape(envInRun)}: sha256 mismatch`));
    assert.equal(
      sources.find((s) => s.source === 'tracker-db')?.status,
      'ok',
      'the other source passes',
    );
    const recorded = (await state()).lastVerify;
    assert.equal(recorded?.status, 'failed');
    assert.equal(recorded?.sources['config']?.status, 'failed');
    assert.deepEqual(await readdir(scratch()), []);
  });

  test('catches a damaged SQLite copy whose manifest agrees with it (integrity_check)', async () => {
    const damaged = await handmadeSnapshot(stack, {
      sources: ['tracker-db', 'config'],
      withSqlite: true,
      edit: async (runDir) => {
        // Overwrite a b-tree page in the middle of the database with garbage.
        const file = join(runDir, 'tracker-db', 'tracker.db');
        const handle = await open(file, 'r+');
        const { size } = await handle.stat();
        const page = Math.floor(size / 4096 / 2) * 4096;
        await handle.write(Buffer.alloc(4096, 0x5a), 0, 4096, page);
        await handle.close();
      },
      rehash: true,
    });
    const { sources } = await verify([damaged], 1);
    const db = sources.find((s) => s.source === 'tracker-db');
    assert.deepEqual(
      db?.checks.map((c) => [c.name, c.status]),
      [
        ['sha256', 'ok'],
        ['integrity_check', 'failed'],
      ],
    );
    assert.match(db?.detail ?? '', /^integrity_check: tracker-db\/tracker\.db: /);
  });

  test('a drill that finds no snapshot fails, and is recorded', async () => {
    const emptyRepo = stack.work.path('empty-repo');
    await runCli([
      'init',
      '-c',
      await stack.spec(
        { targets: { empty: { repository: emptyRepo, password_file: stack.passwordFile } } },
        'empty.yaml',
      ),
    ]);
    const result = await cli(['verify', '-c', stack.work.path('empty.yaml')], 1);
    const done = record(result, 'verify');
    assert.equal(done.error?.code, 'no-snapshot');
    assert.equal((await state()).lastVerify?.error?.code, 'no-snapshot');
  });

  test('without --json: one line per source and the verdict', async () => {
    const result = await runCli(['verify', '-c', spec, good]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(
      result.stdout,
      /✓ tracker-db \(sqlite, [\d.]+ KiB\): 1 file matches the manifest, integrity_check ok/,
    );
    assert.match(result.stdout, /✓ config \(files, 63 B\): 2 files match the manifest/);
    assert.match(result.stdout, /verify passed for snapshot \w{8}/);
  });
});

async function flipByte(path: string, offset: number): Promise<void> {
  const content = await readFile(path);
  content[offset] = (content[offset] ?? 0) ^ 0x01;
  await writeFile(path, content);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
