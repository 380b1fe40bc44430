import * as assert from 'node:assert/strict';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { filesSpec, makeStack } from '../support/demo-stack';
import type { Workdir } from '../support/runner-cli';
import { finished, makeWorkdir, runCli, stepStatus } from '../support/runner-cli';

interface Ping {
  path: string;
  body: string;
}

/** A healthchecks.io stand-in on loopback that records every ping. */
async function startPingServer(): Promise<{ url: string; pings: Ping[]; close(): Promise<void> }> {
  const pings: Ping[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      pings.push({ path: request.url ?? '', body });
      response.end('OK');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/ping/check-uuid`,
    pings,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function largestFile(dir: string): Promise<string> {
  const files: { path: string; size: number }[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = `${entry.parentPath}/${entry.name}`;
    files.push({ path, size: (await stat(path)).size });
  }
  const largest = files.sort((a, b) => b.size - a.size)[0];
  if (!largest) throw new Error(`no file under ${dir}`);
  return largest.path;
}

describe('monitoring: state, status file, metrics, pings, checks, status', () => {
  let work: Workdir;
  let stack: Awaited<ReturnType<typeof makeStack>>;
  let pingServer: Awaited<ReturnType<typeof startPingServer>>;
  let spec: string;
  let failing: string;
  const statusFile = () => work.path('status', 'stack.status.json');
  const metricsFile = () => work.path('metrics', 'backup_stack.prom');

  before(async () => {
    [work, pingServer] = await Promise.all([makeWorkdir(), startPingServer()]);
    stack = await makeStack(work);
    const notify = {
      healthchecks: { env: 'TEST_PING_URL' },
      status_file: statusFile(),
      metrics_file: metricsFile(),
      stale_after: '26h',
    };
    spec = await work.writeSpec(filesSpec(stack, { notify, check: { every: '1d' } }));
    failing = await work.writeSpec(
      filesSpec(stack, {
        notify,
        sources: { config: { type: 'files', paths: [work.path('missing')] } },
      }),
      'failing.yaml',
    );
  });
  after(async () => {
    await pingServer.close();
    await work.cleanup();
  });

  test('status before any run: never succeeded, exit 1', async () => {
    const result = await runCli(['status', '-c', spec, '--json']);
    assert.equal(result.exitCode, 1);
    assert.equal(result.records[0]?.type === 'status' && result.records[0].health, 'never');
  });

  test('a successful run writes state, status file and metrics, pings start and success, and runs the due check', async () => {
    assert.equal((await runCli(['init', '-c', spec])).exitCode, 0);
    const result = await runCli(['run', '-c', spec, '--json'], { TEST_PING_URL: pingServer.url });
    assert.equal(result.exitCode, 0, result.stdout.slice(-1500));
    assert.equal(stepStatus(result, 'check:local'), 'ok', 'the first run owes a check');
    assert.deepEqual(
      pingServer.pings.map((p) => p.path),
      ['/ping/check-uuid/start', '/ping/check-uuid'],
    );
    const status = JSON.parse(await readFile(statusFile(), 'utf8'));
    assert.equal(status.lastSuccess.runId, finished(result).runId);
    assert.equal(status.lastCheck.local.status, 'ok');
    const metrics = await readFile(metricsFile(), 'utf8');
    assert.match(metrics, /^backup_yaml_last_run_success\{name="stack"\} 1$/m);
    assert.match(metrics, /^backup_yaml_last_check_success\{name="stack",target="local"\} 1$/m);
    assert.match(metrics, /^backup_yaml_source_bytes\{name="stack",source="config"\} \d+$/m);
    assert.match(metrics, /^# TYPE backup_yaml_last_success_timestamp_seconds gauge$/m);
  });

  test('the next run skips the check that is not due yet', async () => {
    const result = await runCli(['run', '-c', spec, '--json'], { TEST_PING_URL: pingServer.url });
    assert.equal(result.exitCode, 0);
    assert.equal(stepStatus(result, 'check:local'), 'skipped');
  });

  test('a failing run says so everywhere, and keeps the last-success metric where it was', async () => {
    const before = await readFile(metricsFile(), 'utf8');
    const lastSuccess = /^backup_yaml_last_success_timestamp_seconds\{name="stack"\} (\d+)$/m.exec(
      before,
    )?.[1];
    pingServer.pings.length = 0;
    const result = await runCli(['run', '-c', failing, '--json'], {
      TEST_PING_URL: pingServer.url,
    });
    assert.equal(result.exitCode, 1);
    const metrics = await readFile(metricsFile(), 'utf8');
    assert.match(metrics, /^backup_yaml_last_run_success\{name="stack"\} 0$/m);
    assert.match(
      metrics,
      new RegExp(
        `^backup_yaml_last_success_timestamp_seconds\\{name="stack"\\} ${lastSuccess}$`,
        'm',
      ),
    );
    const fail = pingServer.pings.find((p) => p.path === '/ping/check-uuid/fail');
    assert.ok(fail, JSON.stringify(pingServer.pings));
    assert.match(fail.body, /files-missing/);
    assert.match(fail.body, /✗ copy files source "config"/);
    const status = JSON.parse(await readFile(statusFile(), 'utf8'));
    assert.equal(status.lastRun.status, 'failed');
    assert.equal(status.lastRun.error.code, 'files-missing');
  });

  test('status: fresh after a success (exit 0), stale when the last success is too old (exit 1)', async () => {
    const fresh = await runCli(['status', '-c', spec, '--json']);
    assert.equal(fresh.exitCode, 0);
    const record = fresh.records[0];
    assert.ok(record?.type === 'status');
    assert.equal(record.health, 'ok');
    assert.equal(record.lastRun?.status, 'failed', 'the failed run is reported');
    assert.equal(record.staleAfterMs, 26 * 3_600_000);
    const stateFile = `${stack.staging}/backup-yaml.state.json`;
    const state = JSON.parse(await readFile(stateFile, 'utf8'));
    state.lastSuccess.finishedAt = new Date(Date.now() - 30 * 3_600_000).toISOString();
    await writeFile(stateFile, JSON.stringify(state));
    const stale = await runCli(['status', '-c', spec]);
    assert.equal(stale.exitCode, 1);
    assert.match(stale.stdout, /^stack: STALE/);
    assert.equal((await runCli(['status', '-c', spec, '--max-age', '2d'])).exitCode, 0);
  });

  test('check records every target, and fails on a damaged repository', async () => {
    const ok = await runCli(['check', '-c', spec, '--json']);
    assert.equal(ok.exitCode, 0);
    assert.equal(ok.records[0]?.type === 'check' && ok.records[0].status, 'ok');
    const pack = await largestFile(`${stack.repository}/data`);
    const content = await readFile(pack);
    const middle = Math.floor(content.length / 2);
    content.writeUInt8(content.readUInt8(middle) ^ 0xff, middle);
    await writeFile(pack, content);
    const readAll = await work.writeSpec(
      filesSpec(stack, { check: { read_data_subset: '100%' } }),
      'check-all.yaml',
    );
    const damaged = await runCli(['check', '-c', readAll, '--json']);
    assert.equal(damaged.exitCode, 1);
    assert.equal(
      damaged.records[0]?.type === 'check' && damaged.records[0].error?.code,
      'restic-check-failed',
    );
  });

  test('run --log appends the readable log to a file and reports a failure on stderr', async () => {
    const log = work.path('logs', 'stack.log');
    const result = await runCli(['run', '-c', failing, '--log', log]);
    assert.equal(result.exitCode, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /run \S+ failed: .* does not exist \(log: /);
    assert.match(await readFile(log, 'utf8'), /^\d{4}-\d\d-\d\dT\S+ backup stack · run /m);
  });
});
