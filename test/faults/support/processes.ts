import { readdir, readFile } from 'node:fs/promises';
import type { ResultPromise } from 'execa';
import type { RunEvent } from '../../../runner/src/protocol';
import type { CliResult } from '../../support/runner-cli';
import { startCli, toResult } from '../../support/runner-cli';

/**
 * A child process of `parent` whose command name is `comm` (and whose argv holds `word`, e.g.
 * restic's subcommand), if one runs now.
 */
export async function childNamed(
  parent: number,
  comm: string,
  word?: string,
): Promise<number | undefined> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (name !== comm || Number(fields[1]) !== parent || fields[0] === 'Z') continue;
    if (word === undefined) return Number(entry);
    const argv = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (argv.includes(word)) return Number(entry);
  }
  return undefined;
}

/** Whether the signal was delivered (false: the process was already gone). */
export function kill(pid: number, signal: NodeJS.Signals): boolean {
  try {
    return process.kill(pid, signal);
  } catch {
    return false;
  }
}

export interface StepWatch {
  child: ResultPromise;
  /** Resolves when the step starts (undefined if the run ended first). */
  started: Promise<boolean>;
  /** Whether the step has finished by now. */
  finished(): boolean;
  result(): Promise<CliResult>;
}

/** Starts `backup-runner <args> --json` and follows its events for one step. */
export function watchStep(
  args: string[],
  step: string,
  env: Record<string, string> = {},
): StepWatch {
  const child = startCli([...args, '--json'], env);
  let seen = '';
  let finished = false;
  const started = new Promise<boolean>((resolve) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const lines = seen.split('\n');
      seen = lines.pop() ?? '';
      for (const line of lines) {
        const event = parse(line);
        if (event?.type === 'step-started' && event.step === step) resolve(true);
        if (event?.type === 'step-finished' && event.step === step) finished = true;
      }
    });
    void child.then(() => resolve(false));
  });
  return {
    child,
    started,
    finished: () => finished,
    result: async () => {
      const done = await child;
      return toResult(done.exitCode ?? -1, String(done.stdout), String(done.stderr));
    },
  };
}

function parse(line: string): RunEvent | undefined {
  try {
    return JSON.parse(line) as RunEvent;
  } catch {
    return undefined;
  }
}

/** Waits for a child named `comm` of `parent` (or until `stop()` says it is too late). */
export async function waitForChild(
  parent: number,
  comm: string,
  stop: () => boolean,
  word?: string,
): Promise<number | undefined> {
  for (let i = 0; i < 2000 && !stop(); i++) {
    const pid = await childNamed(parent, comm, word);
    if (pid !== undefined) return pid;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return undefined;
}
