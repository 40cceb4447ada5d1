import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../support/test-hub';

const BIN = path.resolve(__dirname, '../../../bin/printdeck.js');

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `printdeck 3w …` as a user would; a process that does not end by itself fails the test. */
function run3w(args: string[], ms = 30_000): Promise<Exit> {
  const child = spawn(process.execPath, [BIN, '3w', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`printdeck 3w ${args.join(' ')} did not end; stderr: ${stderr}`));
    }, ms);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const STACK_LINE = /^\s+at /m;

describe('printdeck 3w (as a process)', () => {
  it('refuses /dev/zero by name for decode, info and encode instead of reading it forever', async () => {
    const dir = tempDir();
    for (const args of [
      ['decode', '/dev/zero', '-o', path.join(dir, 'out.gcode')],
      ['info', '/dev/zero'],
      ['encode', '/dev/zero', '-o', path.join(dir, 'out.3w'), '--model', 'dv1MX0A000'],
    ]) {
      const r = await run3w(args);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('/dev/zero is not a regular file');
      expect(r.stderr).not.toMatch(STACK_LINE);
    }
    expect(existsSync(path.join(dir, 'out.gcode'))).toBe(false);
  }, 120_000);

  it("unknown subcommands, Object's member names included, print usage and exit 2 without a stack trace", async () => {
    for (const name of ['constructor', 'toString', '__proto__', 'valueOf', 'frobnicate']) {
      const r = await run3w([name, 'x']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`unknown subcommand "${name}"`);
      expect(r.stderr).toContain('usage: 3w encode');
      expect(r.stderr).not.toMatch(STACK_LINE);
    }
  }, 120_000);
});
