import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import type { ResultPromise } from 'execa';
import type { CommitLog } from './database';

export const writerScript = join(import.meta.dirname, 'writer.mjs');

interface WriterLine {
  ready?: boolean;
  done?: boolean;
  mark?: boolean;
  txn?: number;
  pads?: number[];
  latencyMs?: number;
  maxLatencyMs?: number;
  commits?: number;
}

/** writer.mjs in its own process, with what it reported so far. */
export class WriterProcess {
  /** The highest transaction reported committed. */
  committed = 0;
  readonly log: CommitLog = new Map();
  private waiters: { until: (line: WriterLine) => boolean; resolve: (line: WriterLine) => void }[] =
    [];

  private constructor(private readonly child: ResultPromise<{ reject: false }>) {
    createInterface({ input: child.stdout! }).on('line', (text) => this.onLine(text));
  }

  static async start(database: string, args: string[] = []): Promise<WriterProcess> {
    const child = execa(process.execPath, [writerScript, database, ...args], {
      reject: false,
      stdin: 'pipe',
    });
    const writer = new WriterProcess(child);
    await writer.next((line) => line.ready === true);
    return writer;
  }

  /** Resolves once `count` more transactions than now have been reported committed. */
  async commitsMore(count: number): Promise<void> {
    const target = this.committed + count;
    if (this.committed >= target) return;
    await this.next(() => this.committed >= target);
  }

  /** The writer's max commit latency since the previous mark. */
  async mark(): Promise<{ maxLatencyMs: number; commits: number }> {
    const reply = this.next((line) => line.mark === true);
    this.child.stdin!.write('mark\n');
    const line = await reply;
    return { maxLatencyMs: line.maxLatencyMs ?? 0, commits: line.commits ?? 0 };
  }

  async stop(): Promise<void> {
    this.child.stdin!.write('stop\n');
    const result = await this.child;
    if (result.exitCode !== 0) throw new Error(`the writer failed: ${result.stderr}`);
  }

  private next(until: (line: WriterLine) => boolean): Promise<WriterLine> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ until, resolve });
      this.child.then((result) => {
        if (this.waiters.some((waiter) => waiter.resolve === resolve))
          reject(new Error(`the writer exited early: ${result.stderr}`));
      });
    });
  }

  private onLine(text: string): void {
    const line = JSON.parse(text) as WriterLine;
    if (line.txn !== undefined && line.pads) {
      this.log.set(line.txn, line.pads);
      this.committed = Math.max(this.committed, line.txn);
    }
    for (const waiter of [...this.waiters])
      if (waiter.until(line)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
  }
}
