#!/usr/bin/env node
'use strict';
// `npm start`: build, then open the desktop app on its demo fleet. Where no Electron binary exists
// (it cannot be downloaded on some build machines), say so and serve the same app to a browser instead.
const { spawnSync, spawn } = require('node:child_process');
const { existsSync, readFileSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const build = spawnSync(process.execPath, [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

function electronBinary() {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) return path.join(override, process.platform === 'win32' ? 'electron.exe' : 'electron');
  const pkg = path.join(root, 'node_modules', 'electron');
  const pathTxt = path.join(pkg, 'path.txt');
  return existsSync(pathTxt) ? path.join(pkg, 'dist', readFileSync(pathTxt, 'utf8').trim()) : null;
}

const electron = electronBinary();
if (electron && existsSync(electron)) {
  const child = spawn(electron, [root, '--demo', ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  process.stdout.write(
    'No Electron binary is installed here (npm could not download it), so Printdeck starts as a headless host instead.\n' +
      'Open the URL below in a browser; it is the same app. Set ELECTRON_OVERRIDE_DIST_PATH to an Electron 45 folder for the desktop window.\n\n',
  );
  const child = spawn(process.execPath, [path.join(root, 'bin', 'printdeck.js'), 'serve', '--demo', ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
}
