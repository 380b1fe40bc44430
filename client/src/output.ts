import * as vscode from 'vscode';
import { humanLog } from '../../runner/src/human-log';
import type { RunnerRecord } from '../../runner/src/protocol';
import { isRunEvent } from './records';
import type { Host } from './hosts';

/** One output channel per host: every command's readable log, as the runner prints it itself. */
export class HostOutput implements vscode.Disposable {
  private readonly channels = new Map<string, vscode.OutputChannel>();

  channel(host: Host): vscode.OutputChannel {
    let channel = this.channels.get(host.label);
    if (!channel) {
      channel = vscode.window.createOutputChannel(`backup-yaml: ${host.label}`);
      this.channels.set(host.label, channel);
    }
    return channel;
  }

  /** A sink for one command's records: run events in the runner's own words, the rest briefly. */
  logger(
    host: Host,
    title: string,
  ): { record(record: RunnerRecord): void; text(line: string): void } {
    const channel = this.channel(host);
    channel.appendLine(`— ${new Date().toLocaleString()} · ${title} · ${host.label}:${host.spec}`);
    const write = (line: string) => channel.appendLine(line);
    const log = humanLog({ out: write, err: write }, undefined);
    return {
      record: (record) => {
        if (isRunEvent(record)) log(record);
        else if (record.type === 'error')
          write(
            `error: ${record.error.message}${record.error.hint ? ` (${record.error.hint})` : ''} [${record.error.code}]`,
          );
      },
      text: (line) => write(line),
    };
  }

  show(host: Host): void {
    this.channel(host).show(true);
  }

  dispose(): void {
    for (const channel of this.channels.values()) channel.dispose();
  }
}
