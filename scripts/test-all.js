#!/usr/bin/env node
'use strict';
// `npm test`: lint, proto lint + codegen, typecheck, build, unit + integration (vitest), e2e (Playwright).
// Every step runs even when an earlier one fails, so one run shows everything that is wrong.
// The last line is `N passed, N failed, N skipped` summed over all steps and tests.
const { spawnSync } = require('node:child_process');
const { existsSync, readFileSync, mkdirSync, rmSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const results = path.join(root, 'test-results');
mkdirSync(results, { recursive: true });

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

function step(name, command, args, options = {}) {
  process.stdout.write(`\n▶ ${name}\n`);
  const started = Date.now();
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '1', ...options.env } });
  const ok = r.status === 0;
  process.stdout.write(`${ok ? '✔' : '✘'} ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  return ok;
}

function check(name, command, args) {
  if (step(name, command, args)) passed += 1;
  else {
    failed += 1;
    failures.push(name);
  }
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

// What the machine lacks is said once, in words, before anything runs.
const chromium = process.env.PRINTDECK_CHROMIUM || '/usr/bin/chromium';
const hasChromium = existsSync(chromium);
const hasSocat = spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;
if (!hasSocat) {
  process.stdout.write(
    'socat is not installed: the USB pty tests are skipped (test/integration/xyz/driver-pty.test.ts, driver-v2-pty.test.ts). Debian: sudo apt-get install socat\n',
  );
}
const hasMosquitto = ['/usr/sbin/mosquitto', 'mosquitto'].some((b) => spawnSync(b, ['-h'], { stdio: 'ignore' }).error === undefined);
if (!hasMosquitto) {
  process.stdout.write('mosquitto is not installed: the MQTT broker tests are skipped (test/integration/mqtt/). Debian: sudo apt-get install mosquitto mosquitto-clients\n');
}
if (!hasChromium) {
  process.stdout.write(`Chromium is missing (${chromium}): the browser tests cannot run. Debian: sudo apt-get install chromium (or set PRINTDECK_CHROMIUM)\n`);
}

check('lint (eslint, layer rules)', bin('eslint'), ['--max-warnings=0', '.']);
check('proto lint (buf)', bin('buf'), ['lint']);
check('proto codegen (buf generate + ts-proto)', bin('buf'), ['generate']);
check('typecheck main/preload/shared', bin('tsc'), ['-p', 'tsconfig.node.json', '--noEmit']);
check('typecheck renderer', bin('tsc'), ['-p', 'tsconfig.web.json', '--noEmit']);
check('build (electron-vite)', bin('electron-vite'), ['build']);

const vitestJson = path.join(results, 'vitest.json');
rmSync(vitestJson, { force: true });
const vitestOk = step('unit + integration tests (vitest)', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestJson}`,
], { env: { PRINTDECK_SKIP_BUILD: '1' } });
const v = readJson(vitestJson);
if (v) {
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  skipped += v.numPendingTests + (v.numTodoTests || 0);
  if (v.numFailedTests > 0 || !vitestOk) failures.push('vitest');
  if (!vitestOk && v.numFailedTests === 0) failed += 1; // a suite that failed to load has no failed test to count
} else {
  failed += 1;
  failures.push('vitest (no report)');
}

const e2eJson = path.join(results, 'e2e-results.json');
rmSync(e2eJson, { force: true });
const e2eOk = hasChromium && step('end-to-end tests (Playwright)', bin('playwright'), ['test']);
const e = hasChromium ? readJson(e2eJson) : null;
if (!hasChromium) {
  process.stdout.write(`\n✘ end-to-end tests: Chromium is missing (${chromium}). Debian: sudo apt-get install chromium\n`);
  failed += 1;
  failures.push('e2e (no Chromium)');
} else if (e && e.stats) {
  passed += e.stats.expected + (e.stats.flaky || 0);
  failed += e.stats.unexpected;
  skipped += e.stats.skipped;
  if (e.stats.unexpected > 0 || !e2eOk) failures.push('e2e');
  if (!e2eOk && e.stats.unexpected === 0) failed += 1;
} else {
  failed += 1;
  failures.push('e2e (no report)');
}

process.stdout.write(`\n${failures.length ? `Failed: ${failures.join(', ')}\n` : ''}`);
process.stdout.write(`${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(failed > 0 ? 1 : 0);
