import type { RunEvent } from '../protocol';
import { humanLog } from '../human-log';

/** Keeps the last lines of the readable log, for the body of a failure ping. */
export class LogTail {
  private readonly lines: string[] = [];
  readonly sink: (event: RunEvent) => void;

  constructor(private readonly limit = 60) {
    const keep = (line: string) => {
      this.lines.push(line);
      if (this.lines.length > this.limit) this.lines.shift();
    };
    this.sink = humanLog({ out: keep, err: keep }, undefined);
  }

  text(): string {
    return this.lines.join('\n');
  }
}
