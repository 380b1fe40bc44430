import { parseArgs } from 'node:util';
import { shellLine } from '../../client/src/shell-words';
import { SshTransport } from '../../client/src/ssh-transport';
import { loadRunnerArtifacts } from '../../client/src/runner-artifacts';
import { reportRows } from '../results';
import { medianFigure } from '../stats';
import { median, range, root, startBenchHosts } from './hosts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { hosts: { type: 'string', default: '10' }, polls: { type: 'string', default: '5' } },
  });
  const count = Number(values.hosts);
  const polls = Number(values.polls);
  const bench = await startBenchHosts(count);
  const artifacts = await loadRunnerArtifacts(`${root}/dist/remote`);
  if (!artifacts) throw new Error('no runner artifacts: npm run build');
  const runner = `${bench.home}/.cache/backup-yaml/runner/${artifacts.js.cacheName}/backup-runner`;
  const sessions = bench.sessions();
  try {
    // Each host's session opens (and the first one uploads the runner into the shared HOME).
    const [first] = bench.hosts;
    if (first) await sessions.version(first);
    const opened = performance.now();
    await Promise.all(bench.hosts.map((host) => sessions.version(host)));
    const openMs = performance.now() - opened;

    const reuse: number[] = [];
    const perRequest: number[] = [];
    for (let poll = 0; poll < polls; poll++) {
      let started = performance.now();
      const viaSessions = await Promise.all(
        bench.hosts.map((host) => sessions.request(host, ['status', '-c', host.spec, '--json'])),
      );
      reuse.push(performance.now() - started);
      if (!viaSessions.every((o) => o.ok && o.value.records.some((r) => r.type === 'status')))
        throw new Error('a status over a session failed');
      started = performance.now();
      const viaSsh = await Promise.all(
        bench.hosts.map(async (host) => {
          const child = new SshTransport(host.label, bench.settings).start(
            shellLine([runner, 'status', '-c', host.spec, '--json']),
          );
          child.stdin.end();
          let out = '';
          child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
          await child.exited;
          return out.includes('"type":"status"');
        }),
      );
      perRequest.push(performance.now() - started);
      if (!viaSsh.every(Boolean)) throw new Error('a status over ssh failed');
    }
    console.log(
      `status of ${count} hosts (${count} sshd on 127.0.0.1), ${polls} polls, all hosts at once:`,
    );
    console.log(
      `  reused sessions      ${median(reuse).toFixed(0).padStart(5)} ms per poll (${range(reuse)})`,
    );
    console.log(
      `  one ssh per request  ${median(perRequest).toFixed(0).padStart(5)} ms per poll (${range(perRequest)})`,
    );
    console.log(
      `  ratio                ${(median(perRequest) / median(reuse)).toFixed(2)}× faster with reuse; ${count} ssh handshakes per poll saved`,
    );
    console.log(`  (opening the ${count} sessions once: ${openMs.toFixed(0)} ms)`);
    reportRows('remote-status', [
      {
        measure: `status of ${count} hosts (${count} sshd), one poll over reused sessions`,
        ours: medianFigure(reuse, 'ms'),
        anchor: { name: 'one ssh per request', ...medianFigure(perRequest, 'ms') },
      },
    ]);
  } finally {
    sessions.closeAll();
    await bench.stop();
  }
}

void main();
