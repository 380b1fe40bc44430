// A stand-in for the VS Code executable that @vscode/test-electron's runTests() launches: it
// accepts the same flags and runs the suite in code-server instead of Electron. Pass its path as
// runTests({ vscodeExecutablePath }) or to @vscode/test-cli's useInstallation.fromPath.
import { resolve } from 'node:path';
import { runExtensionTests } from './code-server';

function flag(args: string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  return args.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

async function main(args: string[]): Promise<number> {
  const extensionDevelopmentPath = flag(args, 'extensionDevelopmentPath');
  const extensionTestsPath = flag(args, 'extensionTestsPath');
  const folder = args.find((arg) => !arg.startsWith('-'));
  if (!extensionDevelopmentPath || !extensionTestsPath || !folder) {
    process.stderr.write(
      'usage: code-server-cli --extensionDevelopmentPath=DIR --extensionTestsPath=MODULE FOLDER\n',
    );
    return 2;
  }
  return runExtensionTests({
    extensionDevelopmentPath: resolve(extensionDevelopmentPath),
    extensionTestsPath: resolve(extensionTestsPath),
    folder: resolve(folder),
    // Suites that do more than the default allows say so through runTests' extensionTestsEnv.
    ...(process.env['BACKUP_YAML_VSCODE_TIMEOUT_MS']
      ? { timeoutMs: Number(process.env['BACKUP_YAML_VSCODE_TIMEOUT_MS']) }
      : {}),
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
