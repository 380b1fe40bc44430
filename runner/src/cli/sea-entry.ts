// The entry point of the self-contained runner (Node.js single executable, built by
// scripts/build-remote-runners.mjs).
import Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { main } from './main';
import { EXIT } from '../exit-status';

/**
 * sqlite-child.ts runs long SQLite statements as `process.execPath -e SCRIPT MODULE ...`. In the
 * single executable process.execPath is this program, which takes no Node options, so it plays
 * `node -e` itself: it runs the script with a require that gives the built-in better-sqlite3.
 */
function runInlineScript(script: string, args: string[]): void {
  process.argv = [process.execPath, ...args];
  const nodeRequire = createRequire(__filename);
  const builtinRequire = (id: string): unknown =>
    id === args[0] || id === 'better-sqlite3' ? Database : nodeRequire(id);
  new Function('require', 'process', script)(builtinRequire, process);
}

const args = process.argv.slice(2);
if (args[0] === '-e' && args[1] !== undefined) runInlineScript(args[1], args.slice(2));
else
  main(args).then(
    (status) => {
      process.exitCode = status;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = EXIT.internal;
    },
  );
