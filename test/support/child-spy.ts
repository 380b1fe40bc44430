import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

/** Every program the runner starts by name (hooks in the tests use sh). */
const PROGRAMS = [
  'restic',
  'zstd',
  'mkfifo',
  'cp',
  'mariadb-dump',
  'mysqldump',
  'mariadb',
  'mysql',
  'pg_dump',
  'psql',
  'sh',
];

export interface ChildRecord {
  pid: number;
  ppid: number;
  program: string;
  argv: string[];
  env: Record<string, string>;
}

export interface ChildSpy {
  /** Environment for the runner: PATH through the shims, node children recorded too. */
  env: Record<string, string>;
  /** Everything the runner's children (not the runner itself) were started with. */
  children(runnerPid: number | undefined): Promise<ChildRecord[]>;
  /** Children whose argv or environment holds one of the secrets. */
  leaks(runnerPid: number | undefined, secrets: string[]): Promise<string[]>;
  clear(): Promise<void>;
  remove(): Promise<void>;
}

/**
 * Records the argv and the environment of every child process the runner starts, exactly as the
 * child received them: programs found on PATH through small shims that write down their own
 * /proc/self/environ and then exec the real program, node children through a --require hook.
 * Deterministic, unlike sampling /proc: a child that lives for a millisecond is seen too.
 */
export async function startChildSpy(): Promise<ChildSpy> {
  const dir = await mkdtemp(join(tmpdir(), 'backup-yaml-spy-'));
  const bin = join(dir, 'bin');
  const log = join(dir, 'log');
  await execa('mkdir', ['-p', bin, log]);
  for (const program of PROGRAMS) {
    const real = await execa('sh', ['-c', `command -v ${program}`], { reject: false });
    const path = String(real.stdout).trim();
    if (real.exitCode !== 0 || !path.startsWith('/')) continue;
    const shim = join(bin, program);
    await writeFile(
      shim,
      [
        '#!/bin/sh',
        `f="${log}/$$.${program}"`,
        '/bin/cat /proc/$$/environ > "$f.env"',
        'printf "%s\\0" "$PPID" "$@" > "$f.argv"',
        `exec ${path} "$@"`,
        '',
      ].join('\n'),
    );
    await chmod(shim, 0o755);
  }
  const hook = join(dir, 'node-spy.cjs');
  await writeFile(
    hook,
    `const fs = require('fs');
fs.writeFileSync(${JSON.stringify(log)} + '/' + process.pid + '.node.env',
  Object.entries(process.env).map(([k, v]) => k + '=' + v).join('\\0'));
fs.writeFileSync(${JSON.stringify(log)} + '/' + process.pid + '.node.argv',
  [String(process.ppid), ...process.argv.slice(1)].join('\\0'));
`,
  );
  const env = {
    PATH: `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
    NODE_OPTIONS: `--require ${hook}`,
  };
  const children = async (runnerPid: number | undefined): Promise<ChildRecord[]> => {
    const records: ChildRecord[] = [];
    for (const file of (await readdir(log)).filter((f) => f.endsWith('.argv'))) {
      const [pidText, program] = file.split('.');
      const pid = Number(pidText);
      if (pid === runnerPid) continue;
      const base = join(log, file.replace(/\.argv$/, ''));
      const [ppid = '0', ...argv] = (await readFile(`${base}.argv`, 'utf8')).split('\0');
      const env = Object.fromEntries(
        (await readFile(`${base}.env`, 'utf8').catch(() => ''))
          .split('\0')
          .filter(Boolean)
          .map((entry) => [
            entry.slice(0, entry.indexOf('=')),
            entry.slice(entry.indexOf('=') + 1),
          ]),
      );
      records.push({ pid, ppid: Number(ppid), program: program ?? '?', argv, env });
    }
    return records;
  };
  return {
    env,
    children,
    async leaks(runnerPid, secrets) {
      const found: string[] = [];
      for (const child of await children(runnerPid))
        for (const secret of secrets) {
          if (child.argv.some((arg) => arg.includes(secret)))
            found.push(`argv of ${child.program} (PID ${child.pid})`);
          for (const [name, value] of Object.entries(child.env))
            if (value.includes(secret))
              found.push(`${name} in the environment of ${child.program} (PID ${child.pid})`);
        }
      return found;
    },
    clear: async () => {
      for (const file of await readdir(log)) await rm(join(log, file), { force: true });
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
