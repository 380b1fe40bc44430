import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SshTransport } from '../../client/src/ssh-transport';
import { reportRows } from '../results';
import { medianFigure } from '../stats';
import { median, range, startBenchHosts } from './hosts';

/**
 * First use of a host, per runner flavour: a fresh HOME each round (nothing cached), and for
 * the self-contained runner a PATH without node (the host's bash reads ~/.bashrc).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
  const rounds = Number(values.rounds);
  const bench = await startBenchHosts(1);
  const [host] = bench.hosts;
  if (!host) throw new Error('no host');
  const bin = join(bench.dir, 'nonode-bin');
  await mkdir(bin);
  const { readdir, symlink } = await import('node:fs/promises');
  for (const dir of ['/usr/local/bin', '/usr/bin', '/bin', '/usr/sbin', '/sbin'])
    for (const name of await readdir(dir).catch(() => [] as string[]))
      if (!/^(node|nodejs|npm|npx|corepack)$/.test(name))
        await symlink(join(dir, name), join(bin, name)).catch(() => undefined);
  const results: Record<string, { ms: number[]; bytes: number }> = {
    'JS bundle (host has Node 20)': { ms: [], bytes: 0 },
    'self-contained (no Node)': { ms: [], bytes: 0 },
    'ssh handshake alone': { ms: [], bytes: 0 },
  };
  try {
    for (let round = 0; round < rounds; round++) {
      for (const [name, result] of Object.entries(results)) {
        await rm(bench.home, { recursive: true, force: true });
        await mkdir(bench.home, { recursive: true });
        if (name.startsWith('self'))
          await writeFile(join(bench.home, '.bashrc'), `export PATH=${bin}\n`);
        const started = performance.now();
        if (name.startsWith('ssh')) {
          const child = new SshTransport(host.label, bench.settings).start('true');
          child.stdin.end();
          await child.exited;
        } else {
          const sessions = bench.sessions();
          const version = await sessions.version(host);
          if (!version.ok) throw new Error(version.error.message);
          if (version.value.selfContained !== name.startsWith('self'))
            throw new Error(`${name}: wrong runner`);
          result.bytes = sessions.stats.uploadedBytes;
          sessions.closeAll();
        }
        result.ms.push(performance.now() - started);
      }
    }
  } finally {
    await bench.stop();
  }
  console.log(
    `first use of a host over ssh on 127.0.0.1 (upload, unpack, sha256 check, session ready), ${rounds} rounds:`,
  );
  const handshake = median(results['ssh handshake alone']?.ms ?? []);
  for (const [name, result] of Object.entries(results))
    console.log(
      `  ${name.padEnd(30)} ${(median(result.ms) / 1000).toFixed(2)} s (${range(result.ms)} ms)  ${(result.bytes / 1048576).toFixed(1)} MiB sent  ${(median(result.ms) / handshake).toFixed(1)}× a handshake`,
    );
  const seconds = (ms: number[]) =>
    medianFigure(
      ms.map((n) => n / 1000),
      's',
    );
  const anchor = {
    name: 'an ssh handshake alone',
    ...seconds(results['ssh handshake alone']?.ms ?? []),
  };
  reportRows(
    'remote-upload',
    Object.entries(results)
      .filter(([name]) => !name.startsWith('ssh'))
      .map(([name, result]) => ({
        measure: `first use of a host: upload and start the runner, ${name} (${(result.bytes / 1048576).toFixed(1)} MiB sent)`,
        ours: seconds(result.ms),
        anchor,
      })),
  );
}

void main();
