#!/usr/bin/env node
'use strict';
const path = require('node:path');
const bundle = path.join(__dirname, '..', 'dist', 'cli.cjs');
try {
  require.resolve(bundle);
} catch {
  console.error(
    `backup-runner is not built: run "npm run build" in ${path.join(__dirname, '..', '..')}`,
  );
  process.exit(2);
}
require(bundle);
