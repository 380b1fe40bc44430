import type { ExtensionContext } from 'vscode';
import { startLanguageClient } from './language-client';
import { registerLanguageStatus } from './language-status';
import type { LanguageClient } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  registerLanguageStatus(context);
  client = await startLanguageClient(context);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
