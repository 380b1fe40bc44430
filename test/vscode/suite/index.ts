// The extension-host test entry point, as @vscode/test-electron runs it: exports run().
// The same file runs under real Electron (test-electron) and under code-server (our harness).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  // BACKUP_YAML_VSCODE_GREP narrows a run to matching tests while working on them.
  const grep = process.env['BACKUP_YAML_VSCODE_GREP'];
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, ...(grep ? { grep } : {}) });
  for (const file of readdirSync(__dirname).filter((name) => name.endsWith('.test.js'))) {
    mocha.addFile(join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) =>
      failures > 0 ? reject(new Error(`${failures} extension-host tests failed`)) : resolve(),
    );
  });
}
