import { readdir, readFile } from 'node:fs/promises';

/**
 * Watches every process on the machine while a run goes on and records any whose command line
 * (what `ps` shows) contains one of the secrets, or whose environment does when it is a child
 * started by the run (the runner's own environment is the operator's choice).
 */
export class SecretWatch {
  readonly leaks = new Set<string>();
  private running = true;
  private readonly done: Promise<void>;
  samples = 0;

  constructor(
    private readonly secrets: string[],
    private readonly runnerPid: () => number | undefined,
  ) {
    this.done = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      await this.sample();
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
  }

  private async sample(): Promise<void> {
    this.samples++;
    const runner = this.runnerPid();
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
      const [cmdline, environ, stat] = await Promise.all(
        ['cmdline', 'environ', 'stat'].map((file) =>
          readFile(`/proc/${entry}/${file}`, 'utf8').catch(() => ''),
        ),
      );
      const command = (cmdline ?? '').replace(/\0/g, ' ');
      for (const secret of this.secrets) {
        if (command.includes(secret)) this.leaks.add(`argv of ${entry}: ${command.slice(0, 120)}`);
      }
      const parent = Number((stat ?? '').slice((stat ?? '').lastIndexOf(')') + 2).split(' ')[1]);
      if (
        runner !== undefined &&
        Number(entry) !== runner &&
        (parent === runner || (await this.isDescendant(Number(entry), runner)))
      ) {
        for (const secret of this.secrets) {
          if ((environ ?? '').includes(secret))
            this.leaks.add(`environment of ${entry} (${command.slice(0, 60)})`);
        }
      }
    }
  }

  private async isDescendant(pid: number, ancestor: number): Promise<boolean> {
    let current = pid;
    for (let depth = 0; depth < 8 && current > 1; depth++) {
      const stat = await readFile(`/proc/${current}/stat`, 'utf8').catch(() => '');
      current = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (current === ancestor) return true;
    }
    return false;
  }
}
