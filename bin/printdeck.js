#!/usr/bin/env node
'use strict';
// The printdeck command. It needs Node 24 (node:sqlite) and the built app (npm run build).
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(`printdeck needs Node 24 or newer; this is Node ${process.versions.node}.\n`);
  process.exit(1);
}
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'out', 'main', 'cli.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('printdeck is not built yet: run `npm run build` first.\n');
  process.exit(1);
}
require(entry);
