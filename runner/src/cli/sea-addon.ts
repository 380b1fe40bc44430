// Stands in for the `bindings` package inside the self-contained runner
// (scripts/build-remote-runners.mjs aliases it): better-sqlite3 asks bindings for its native
// addon, which the executable carries as a SEA asset. A native addon can only be loaded from a
// file, so it is written to a private temporary directory, loaded, and removed again (Linux
// keeps a loaded library mapped).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ASSET = 'better_sqlite3.node';
let loaded: unknown;

export default function bindings(name: string): unknown {
  if (name !== ASSET) throw new Error(`the self-contained runner carries no addon ${name}`);
  loaded ??= loadAsset();
  return loaded;
}

function loadAsset(): unknown {
  const sea = createRequire(__filename)('node:sea') as { getRawAsset(key: string): ArrayBuffer };
  const dir = mkdtempSync(join(tmpdir(), 'backup-runner-addon-'));
  try {
    const file = join(dir, ASSET);
    writeFileSync(file, new Uint8Array(sea.getRawAsset(ASSET)), { mode: 0o700 });
    const module = { exports: {} as unknown };
    process.dlopen(module, file);
    return module.exports;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
