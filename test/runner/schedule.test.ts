import * as assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import { cronToOnCalendar } from '../../runner/src/schedule/cron-to-systemd';
import { parseCron } from '../../runner/src/spec/cron';
import { filesSpec, makeStack } from '../support/demo-stack';
import type { Workdir } from '../support/runner-cli';
import { makeWorkdir, runCli } from '../support/runner-cli';

// Between two possible run times, so "after the base" means the same to both.
const BASE = '2026-11-23T00:00:30Z';

/** The next elapses systemd itself computes for an OnCalendar value, in UTC. */
async function systemdNext(calendar: string, count: number): Promise<string[]> {
  const result = await execa(
    'systemd-analyze',
    [
      'calendar',
      `--base-time=${BASE.replace('T', ' ').replace('Z', '')}`,
      `--iterations=${count}`,
      calendar,
    ],
    { env: { TZ: 'UTC' } },
  );
  return [...String(result.stdout).matchAll(/(?:Next elapse|Iter\. #\d+): \w+ (\S+ \S+) UTC/g)].map(
    (m) => `${m[1]}`,
  );
}

function cronNext(expression: string, count: number): string[] {
  const parsed = parseCron(expression);
  assert.ok(parsed.ok);
  return parsed.cron
    .nextRuns(count, new Date(BASE))
    .map((d) => d.toISOString().replace('T', ' ').slice(0, 19));
}

describe('schedule: cron expressions as systemd timers', () => {
  for (const expression of [
    '0 3 * * *',
    '30 */6 * * *',
    '*/15 2-4 * * 1-5',
    '0 0 1,15 * *',
    '5 4 * jan,jul sun',
    '0 22 * * 6-7',
    '0 12 1-10/3 * *',
    '@daily',
    '@hourly',
    '@weekly',
    '@monthly',
  ]) {
    test(`"${expression}" runs at the same times under systemd as under cron`, async () => {
      const calendar = cronToOnCalendar(expression);
      assert.ok(calendar.ok, JSON.stringify(calendar));
      assert.deepEqual(
        await systemdNext(calendar.value, 6),
        cronNext(expression, 6),
        calendar.value,
      );
    });
  }

  test('a restricted day of month together with a restricted weekday is refused (cron ORs them, systemd ANDs)', () => {
    const calendar = cronToOnCalendar('0 3 1 * 1');
    assert.equal(!calendar.ok && calendar.error.code, 'schedule-unsupported');
  });
});

describe('backup-runner schedule', () => {
  let work: Workdir;
  let spec: string;

  before(async () => {
    work = await makeWorkdir('backup yaml schedule %test-');
    const stack = await makeStack(work);
    spec = await work.writeSpec(filesSpec(stack, { schedule: '15 2 * * *' }), 'my backup.yaml');
  });
  after(() => work.cleanup());

  test('--cron: /bin/sh reads the line back into the exact argv, on the spec schedule', async () => {
    const result = await runCli(['schedule', '-c', spec, '--cron', '--json']);
    assert.equal(result.exitCode, 0, result.stderr);
    const record = result.records[0];
    assert.ok(record?.type === 'schedule');
    const line = record.files[0]?.content.split('\n').find((l) => /^\d/.test(l)) ?? '';
    const [minute, hour, dom, month, dow, user, ...command] = line.split(' ');
    assert.deepEqual([minute, hour, dom, month, dow, user], ['15', '2', '*', '*', '*', 'root']);
    // cron turns "\%" back into "%" and hands the rest to /bin/sh.
    const words = await execa('sh', [
      '-c',
      `printf '%s\\n' ${command.join(' ').replace(/\\%/g, '%')}`,
    ]);
    assert.deepEqual(String(words.stdout).split('\n'), [
      process.execPath,
      (await import('node:fs')).realpathSync(
        `${import.meta.dirname}/../../runner/bin/backup-runner.cjs`,
      ),
      'run',
      '-c',
      spec,
      '--log',
      '/var/log/backup-yaml/stack.log',
    ]);
  });

  test('--systemd --install: units systemd-analyze accepts, a timer on the spec schedule', async () => {
    const dir = work.path('units');
    const result = await runCli([
      'schedule',
      '-c',
      spec,
      '--systemd',
      '--install',
      '--dir',
      dir,
      '--json',
    ]);
    assert.equal(result.exitCode, 0, result.stderr);
    const service = `${dir}/backup-yaml-stack.service`;
    const timer = `${dir}/backup-yaml-stack.timer`;
    assert.equal((await stat(service)).mode & 0o777, 0o644);
    const verify = await execa('systemd-analyze', ['verify', service, timer], { reject: false });
    assert.equal(verify.exitCode, 0, String(verify.stderr));
    assert.match(await readFile(timer, 'utf8'), /^OnCalendar=\*-\*-\* 2:15:00$/m);
    assert.match(
      await readFile(service, 'utf8'),
      /^ExecStart=.* run -c "[^"]*%%test[^"]*\/my backup\.yaml"$/m,
    );
  });

  test('a spec without a schedule is a usage error', async () => {
    const stack = await makeStack(work);
    const plain = await work.writeSpec(filesSpec(stack), 'plain.yaml');
    const result = await runCli(['schedule', '-c', plain]);
    assert.equal(result.exitCode, 2);
    assert.match(result.stderr, /no "schedule"/);
  });
});
