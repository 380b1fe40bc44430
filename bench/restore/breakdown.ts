import { createHash } from 'node:crypto';
import {
  chmodSync,
  createWriteStream,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { finished } from 'node:stream/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { sha256File } from '../../runner/src/staging/manifest';
import { contenders } from './contenders';
import type { Contender } from './contenders';
import type { Workspace } from './workspace';

const RESTIC_COMMANDS = ['snapshots', 'dump', 'restore', 'cat', 'ls', 'stats', 'check', 'version'];

/**
 * Where our restores spend their time: each runs once more with a `restic` first on PATH that
 * logs every call (start, end, command) before handing over to the real one; what is not in a
 * restic call is the runner's own work (start-up, reading the spec, the manifest's sha256, the
 * integrity check, putting the file in place). The sha256 of the restored file and its
 * integrity check are timed alone too, for scale.
 */
export async function breakdown(ws: Workspace): Promise<string[]> {
  const { stdout: real } = await execa('sh', ['-c', 'command -v restic']);
  const shimDir = join(ws.dir, 'shim');
  const log = join(shimDir, 'calls.log');
  mkdirSync(shimDir, { recursive: true });
  writeFileSync(
    join(shimDir, 'restic'),
    `#!/bin/sh\nstart=$(date +%s.%N)\n${real} "$@"\nstatus=$?\necho "$start $(date +%s.%N) $*" >> ${log}\nexit $status\n`,
  );
  chmodSync(join(shimDir, 'restic'), 0o755);
  const env = { PATH: `${shimDir}:${process.env['PATH'] ?? ''}` };
  const lines: string[] = [];
  for (const contender of [
    contenders.restoreTo,
    contenders.restoreInPlace,
    contenders.verify,
  ] as Contender[]) {
    writeFileSync(log, '');
    rmSync(ws.out, { recursive: true, force: true });
    mkdirSync(ws.out);
    const started = performance.now();
    await contender.run(ws, env);
    const total = (performance.now() - started) / 1000;
    const calls = readFileSync(log, 'utf8').split('\n').filter(Boolean).map(parseCall);
    const inRestic = calls.reduce((sum, call) => sum + call.seconds, 0);
    const listed = calls
      .map((call) => `restic ${call.command} ${call.seconds.toFixed(2)} s`)
      .join(', ');
    lines.push(
      `${contender.name}: ${total.toFixed(2)} s = ${listed}; the runner's own work ${(total - inRestic).toFixed(2)} s`,
    );
  }
  const restored = await contenders.resticRestore
    .run(ws)
    .then(() => join(ws.out, 'restic', ws.pathInSnapshot));
  const sha256 = await timed(() => sha256File(restored));
  const integrity = await timed(() =>
    execa('sqlite3', [restored, 'PRAGMA mmap_size=2147418112;', 'PRAGMA integrity_check;']),
  );
  lines.push(`for scale: sha256 of the restored file ${sha256} s, integrity_check ${integrity} s`);
  lines.push(
    `restic dump of the file into a file, hashed as it streams (one pass): ${await timed(() => dumpHashed(ws))} s`,
  );
  rmSync(shimDir, { recursive: true, force: true });
  return lines;
}

/** What a restore that hashes while it writes would do: `restic dump` through a sha256. */
async function dumpHashed(ws: Workspace): Promise<string> {
  const dump = execa('restic', ['dump', ws.snapshotId, ws.pathInSnapshot], {
    env: ws.repositoryEnv,
    buffer: false,
  });
  const hash = createHash('sha256');
  const file = createWriteStream(join(ws.out, 'dumped.db'));
  dump.stdout.on('data', (chunk: Buffer) => hash.update(chunk));
  dump.stdout.pipe(file);
  await dump;
  await finished(file);
  return hash.digest('hex');
}

function parseCall(line: string): { command: string; seconds: number } {
  const [start, end, ...args] = line.split(' ');
  const command = args.find((arg) => RESTIC_COMMANDS.includes(arg)) ?? args[0] ?? '?';
  return { command, seconds: Number(end) - Number(start) };
}

async function timed(work: () => Promise<unknown>): Promise<string> {
  const started = performance.now();
  await work();
  return ((performance.now() - started) / 1000).toFixed(2);
}
