import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { BackupYamlApi } from '../../../client/src/extension';
import type { CommandResult } from '../../../client/src/run-commands';
import type { Prompts } from '../../../client/src/prompts';
import type { RemoteFixture } from '../support/remote-fixture';

export function fixture(): RemoteFixture {
  const file = process.env['BACKUP_YAML_REMOTE_FIXTURE'];
  if (!file)
    throw new Error('BACKUP_YAML_REMOTE_FIXTURE is not set (test/vscode/remote.test.ts sets it)');
  return JSON.parse(readFileSync(file, 'utf8')) as RemoteFixture;
}

export async function extensionApi(): Promise<BackupYamlApi> {
  const extension = vscode.extensions.getExtension<BackupYamlApi>('backup-yaml.backup-yaml');
  if (!extension) throw new Error('the extension is not loaded');
  return extension.activate();
}

/** Prompts that answer as a test says and remember every message shown. */
export class RecordingPrompts implements Prompts {
  readonly shown: { level: 'info' | 'warn' | 'error'; message: string }[] = [];
  onConfirm: (message: string) => boolean | Promise<boolean> = () => true;
  /** Answers a quick pick (default: dismissed); `items` as the command offered them. */
  onPick: (items: unknown[], placeHolder: string) => unknown = () => undefined;
  readonly confirmed: string[] = [];

  info(message: string): Thenable<undefined> {
    this.shown.push({ level: 'info', message });
    return Promise.resolve(undefined);
  }
  warn(message: string): Thenable<undefined> {
    this.shown.push({ level: 'warn', message });
    return Promise.resolve(undefined);
  }
  error(message: string): Thenable<undefined> {
    this.shown.push({ level: 'error', message });
    return Promise.resolve(undefined);
  }
  async confirm(message: string, detail?: string): Promise<boolean> {
    this.confirmed.push(`${message}\n${detail ?? ''}`);
    return this.onConfirm(message);
  }
  pick<T>(items: T[], placeHolder: string): Thenable<T | undefined> {
    return Promise.resolve(this.onPick(items, placeHolder) as T | undefined);
  }
  input(): Thenable<string | undefined> {
    return Promise.resolve(undefined);
  }
}

export function hostId(alias: string, spec: string): string {
  return `ssh:${alias}:${spec}`;
}

export async function command(id: string, ...args: unknown[]): Promise<CommandResult> {
  return (await vscode.commands.executeCommand(id, ...args)) as CommandResult;
}

export async function setHosts(hosts: { host: string; spec: string }[]): Promise<void> {
  await vscode.workspace
    .getConfiguration('backupYaml')
    .update('hosts', hosts, vscode.ConfigurationTarget.Global);
}

/** Polls `check` until it holds (the event it waits for has no hook of its own). */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
