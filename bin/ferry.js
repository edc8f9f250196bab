#!/usr/bin/env node
'use strict';
// The package's bin: a thin launcher for the compiled CLI, so `npx ferry` works right after `npm ci`
// (the `prepare` script builds dist/).
const path = require('node:path');
const fs = require('node:fs');

const entry = path.join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write(
    'ferry: the CLI is not built yet; run `npm ci` (or `npm run build`) first\n',
  );
  process.exit(2);
}
require(entry).run();
