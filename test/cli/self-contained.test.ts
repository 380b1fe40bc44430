// The self-contained linux-x64 runner that the extension uploads to hosts without Node
// (scripts/build-remote-runners.mjs): unpacked from its tarball, it runs with a PATH that has
// no node, backs up a SQLite database (better-sqlite3 loaded from a SEA asset; the integrity
// check in its own child process), and writes schedule units that start it correctly.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import { repoRoot } from '../support/paths';
import type { Workdir } from '../support/runner-cli';
import { makeWorkdir, toResult } from '../support/runner-cli';

describe('the self-contained runner (Node single executable with better-sqlite3 inside)', () => {
  let work: Workdir;
  let runner: string;
  let env: Record<string, string>;
  let spec: string;

  before(async () => {
    work = await makeWorkdir('backup-yaml-sea-');
    const manifest = JSON.parse(
      await readFile(join(repoRoot, 'dist', 'remote', 'manifest.json'), 'utf8'),
    ) as {
      artifacts: { sea: { file: string; sha256: string } };
    };
    const tarball = join(repoRoot, 'dist', 'remote', manifest.artifacts.sea.file);
    const digest = createHash('sha256')
      .update(await readFile(tarball))
      .digest('hex');
    assert.equal(digest, manifest.artifacts.sea.sha256, 'the manifest names the tarball it ships');
    await mkdir(work.path('sea'));
    await execa('tar', ['-xzf', tarball, '-C', work.path('sea')]);
    runner = work.path('sea', 'backup-runner');
    // A PATH with every tool of this machine but node.
    const bin = work.path('bin');
    await mkdir(bin);
    for (const dir of ['/usr/local/bin', '/usr/bin', '/bin'])
      for (const name of await readdir(dir).catch(() => [] as string[]))
        if (!/^(node|nodejs|npm|npx|corepack)$/.test(name))
          await symlink(join(dir, name), join(bin, name)).catch(() => undefined);
    env = { PATH: bin, HOME: work.dir };
    const database = work.path('tracker.db');
    await execa('sqlite3', [database, 'CREATE TABLE t(a); INSERT INTO t VALUES (1), (2);']);
    await writeFile(work.path('restic.pw'), 'pw\n', { mode: 0o600 });
    spec = await work.writeSpec({
      version: 1,
      name: 'sea',
      schedule: '0 3 * * *',
      sources: { db: { type: 'sqlite', path: database, integrity_check: 'full' } },
      staging: { dir: work.path('staging') },
      targets: { local: { repository: work.path('repo'), password_file: work.path('restic.pw') } },
    });
  });
  after(() => work.cleanup());

  const sea = async (args: string[]) => {
    const result = await execa(runner, args, {
      env,
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
    });
    return toResult(result.exitCode ?? -1, String(result.stdout), String(result.stderr));
  };

  test('says it is self-contained and finds restic, with no node on the PATH', async () => {
    assert.equal(
      (await execa('sh', ['-c', 'command -v node || echo none'], { env, extendEnv: false })).stdout,
      'none',
    );
    const result = await sea(['version', '--json']);
    const [record] = result.records;
    assert.ok(record?.type === 'version', result.stderr);
    assert.equal(record.selfContained, true);
    assert.equal(record.arch, 'x64');
    assert.deepEqual(record.restic, { ok: true, version: '0.14.0' });
  });

  test('backs up a SQLite database, integrity check included', async () => {
    assert.equal((await sea(['init', '-c', spec])).exitCode, 0);
    const result = await sea(['run', '-c', spec, '--json']);
    assert.equal(result.exitCode, 0, result.stdout.slice(-1500) + result.stderr);
    // The check of the copy runs alongside the backup; its step waits for it and says how it went.
    const check = result.records.find(
      (r) => r.type === 'step-finished' && r.step === 'integrity:db',
    );
    assert.ok(check?.type === 'step-finished');
    assert.equal(
      (check.result?.['integrityCheck'] as { result?: string } | undefined)?.result,
      'ok',
    );
  });

  test('schedule units start the executable itself, not it twice', async () => {
    const result = await sea(['schedule', '-c', spec, '--json']);
    const record = result.records.find((r) => r.type === 'schedule');
    assert.ok(record?.type === 'schedule', result.stderr);
    const service = record.files.find((f) => f.path.endsWith('.service'));
    assert.match(service?.content ?? '', new RegExp(`^ExecStart=${runner} run -c ${spec}$`, 'm'));
  });
});
