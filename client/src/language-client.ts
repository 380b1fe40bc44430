import type { ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';

export const LANGUAGE_ID = 'backup-yaml';

/** Starts the bundled language server (the same one `npx backup-yaml-language-server` runs). */
export async function startLanguageClient(context: ExtensionContext): Promise<LanguageClient> {
  const module = context.asAbsolutePath('server/dist/server.cjs');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: {
      module,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6019'] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: LANGUAGE_ID }],
  };
  const client = new LanguageClient(
    'backupYaml',
    'backup.yaml language server',
    serverOptions,
    clientOptions,
  );
  context.subscriptions.push(client);
  await client.start();
  return client;
}
