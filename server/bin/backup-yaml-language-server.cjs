#!/usr/bin/env node
'use strict';
const path = require('node:path');
const bundle = path.join(__dirname, '..', 'dist', 'server.cjs');
try {
  require.resolve(bundle);
} catch {
  console.error(
    `backup-yaml-language-server is not built: run "npm run build" in ${path.join(__dirname, '..', '..')}`,
  );
  process.exit(2);
}
if (!process.argv.slice(2).some((arg) => /^--(stdio|node-ipc|socket=|pipe=)/.test(arg))) {
  // vscode-languageserver needs to be told its transport; stdio is what editors use.
  process.argv.push('--stdio');
}
require(bundle);
