import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { loadRunnerArtifacts } from '../../client/src/runner-artifacts';
import { shellLine } from '../../client/src/shell-words';
import { SshTransport } from '../../client/src/ssh-transport';
import { reportRows } from '../results';
import { medianFigure } from '../stats';
import { median, range, root, runnerBin, startBenchHosts } from './hosts';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '7' } } });
  const rounds = Number(values.rounds);
  const bench = await startBenchHosts(1);
  const [host] = bench.hosts;
  const [spec] = bench.specs;
  if (!host || !spec) throw new Error('no host');
  const transport = new SshTransport(host.label, bench.settings);
  const artifacts = await loadRunnerArtifacts(`${root}/dist/remote`);
  if (!artifacts) throw new Error('no runner artifacts: npm run build');
  // Where the warm-up below puts the runner (the host has Node 20: the JS flavour).
  const runner = `${bench.home}/.cache/backup-yaml/runner/${artifacts.js.cacheName}/backup-runner`;
  const runArgs = ['run', '-c', spec, '--json', '--cancel-on-eof'];

  /** Milliseconds from start to the first step-started line on `stdout`. */
  function firstStep(stdout: Readable, started: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const lines = createInterface({ input: stdout });
      lines.on('line', (line) => {
        if (line.includes('"type":"step-started"') || line.includes('"step-started"')) {
          resolve(performance.now() - started);
          lines.close();
        }
      });
      lines.on('close', () => reject(new Error('no step started')));
    });
  }

  const contenders: Record<string, () => Promise<number>> = {
    local: async () => {
      const started = performance.now();
      const child = execa('node', [runnerBin, ...runArgs], { stdin: 'pipe', reject: false });
      const ms = await firstStep(child.stdout, started);
      child.stdin.end();
      await child;
      return ms;
    },
    'ssh, one-shot': async () => {
      const started = performance.now();
      const child = transport.start(shellLine([runner, ...runArgs]));
      const ms = await firstStep(child.stdout, started);
      child.stdin.end();
      await child.exited;
      return ms;
    },
    'session, new': async () => {
      const sessions = bench.sessions();
      const ms = await timeFirstEvent(sessions);
      sessions.closeAll();
      return ms;
    },
    'session, warm': async () => timeFirstEvent(warm),
    handshake: async () => {
      const started = performance.now();
      const child = transport.start('true');
      child.stdin.end();
      await child.exited;
      return performance.now() - started;
    },
  };

  async function timeFirstEvent(sessions: ReturnType<typeof bench.sessions>): Promise<number> {
    const controller = new AbortController();
    const started = performance.now();
    let ms = NaN;
    await sessions.request(
      host as NonNullable<typeof host>,
      ['run', '-c', spec as string, '--json'],
      {
        signal: controller.signal,
        onRecord: (record) => {
          if (record.type === 'step-started' && Number.isNaN(ms)) {
            ms = performance.now() - started;
            controller.abort();
          }
        },
      },
    );
    return ms;
  }

  const warm = bench.sessions();
  await warm.version(host);
  const times: Record<string, number[]> = Object.fromEntries(
    Object.keys(contenders).map((k) => [k, []]),
  );
  try {
    for (let round = 0; round < rounds; round++)
      for (const [name, run] of Object.entries(contenders)) times[name]?.push(await run());
  } finally {
    warm.closeAll();
    await bench.stop();
  }
  const m = (name: string) => median(times[name] ?? []);
  console.log(
    `command → first progress event (step-started), ${rounds} rounds, median (min–max) ms:`,
  );
  for (const name of Object.keys(contenders))
    console.log(
      `  ${name.padEnd(15)} ${m(name).toFixed(0).padStart(5)} (${range(times[name] ?? [])})  ${(m(name) / m('local')).toFixed(2)}× local`,
    );
  const budget = 1.5 * m('local') + m('handshake');
  for (const name of ['ssh, one-shot', 'session, new', 'session, warm'])
    console.log(
      `  ${name}: ${m(name).toFixed(0)} ms vs target 1.5 × local + handshake = ${budget.toFixed(0)} ms → ${(m(name) / budget).toFixed(2)} of the budget`,
    );
  const figure = (name: string) => medianFigure(times[name] ?? [], 'ms');
  const target = { name: '1.5 × local + one SSH handshake', value: budget, unit: 'ms' as const };
  reportRows('remote-latency', [
    {
      measure: 'run → first progress event, over the open SSH session',
      ours: figure('session, warm'),
      anchor: { name: 'the same run locally', ...figure('local') },
    },
    {
      measure: "run → first progress event, a host's first command (connect, probe, serve)",
      ours: figure('session, new'),
      anchor: target,
      target: { ratio: 1 },
    },
    {
      measure: 'run → first progress event, one ssh per command',
      ours: figure('ssh, one-shot'),
      anchor: target,
      target: { ratio: 1 },
    },
  ]);
}

void main();
