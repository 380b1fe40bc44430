import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * Samples, from the host, the command line and environment of every process inside one container
 * (found by the container id in /proc/PID/cgroup) while a run goes on: records any that holds a
 * secret, and the programs seen, so a test can tell that the watch saw the dump at all.
 */
export class ContainerWatch {
  readonly leaks = new Set<string>();
  readonly programs = new Set<string>();
  private running = true;
  private readonly done: Promise<void>;

  constructor(
    private readonly containerId: string,
    private readonly secrets: string[],
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
      await delay(10);
    }
  }

  private async sample(): Promise<void> {
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const cgroup = await readFile(`/proc/${entry}/cgroup`, 'utf8').catch(() => '');
      if (!cgroup.includes(this.containerId)) continue;
      const [cmdline, environ] = await Promise.all(
        ['cmdline', 'environ'].map((file) =>
          readFile(`/proc/${entry}/${file}`, 'utf8').catch(() => ''),
        ),
      );
      const argv = (cmdline ?? '').split('\0').filter(Boolean);
      if (argv[0]) this.programs.add(argv[0].split('/').pop() ?? argv[0]);
      for (const secret of this.secrets) {
        if ((cmdline ?? '').includes(secret))
          this.leaks.add(`argv of ${argv.join(' ').slice(0, 100)}`);
        if ((environ ?? '').includes(secret)) this.leaks.add(`environment of ${argv[0] ?? entry}`);
      }
    }
  }
}
