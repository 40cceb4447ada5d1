import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runThreeWCommand } from '../../../src/main/printers/xyz/threew/cli';
import type { ThreeWCliIo } from '../../../src/main/printers/xyz/threew/cli';

interface CapturedIo extends ThreeWCliIo {
  stdout: string[];
  stderr: string[];
}

function realIo(): CapturedIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
  };
}

const GCODE = ';FLAVOR:Marlin\n;TIME:90\nG28\nG0 X10 Y10\nG1 X20 E1\n';

describe('3w CLI', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'printdeck-3w-'));
    await writeFile(join(dir, 'in.gcode'), GCODE);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const container of ['v5', 'v2', 'zip'] as const) {
    it(`encode → info → decode round trip (${container})`, async () => {
      const io = realIo();
      const encodeArgs = [
        'encode',
        join(dir, 'in.gcode'),
        '-o',
        join(dir, 'x.3w'),
        '--model',
        'dv1MX0A000',
        '--container',
        container,
      ];
      expect(await runThreeWCommand(encodeArgs, io)).toBe(0);
      expect(io.stdout.at(-1)).toContain(`${container}, machine dv1MX0A000`);

      const file = await readFile(join(dir, 'x.3w'));
      expect(file.toString('latin1', 0, 12)).toBe('3DPFNKG13WTW');

      expect(await runThreeWCommand(['info', join(dir, 'x.3w')], io)).toBe(0);
      expect(io.stdout.join('\n')).toMatch(/container: +\w/);
      expect(io.stdout.join('\n')).toContain('(ok)');
      expect(io.stdout).toContain('  machine = dv1MX0A000');

      expect(await runThreeWCommand(['decode', join(dir, 'x.3w'), '-o', join(dir, 'out.gcode')], io)).toBe(0);
      const gcode = await readFile(join(dir, 'out.gcode'), 'utf8');
      expect(gcode.startsWith('; filename = print.3w\n; print_time = 90\n; machine = dv1MX0A000\n')).toBe(true);
      expect(gcode.endsWith(';FLAVOR:Marlin\n;TIME:90\nG28\nG1 X10 Y10\nG1 X20 E1\n')).toBe(true);
      expect(io.stderr).toEqual([]);
    });
  }

  it('info --json prints the ThreeWInfo object', async () => {
    const io = realIo();
    await runThreeWCommand(['encode', join(dir, 'in.gcode'), '-o', join(dir, 'x.3w'), '--model', 'dv1NX0A000'], io);
    expect(await runThreeWCommand(['info', join(dir, 'x.3w'), '--json'], io)).toBe(0);
    const info = JSON.parse(io.stdout.at(-1) ?? '{}') as { container: string; machine: string; crcOk: boolean };
    expect(info).toMatchObject({ container: 'v5', machine: 'dv1NX0A000', crcOk: true });
  });

  it('usage errors exit 2 with a message', async () => {
    const cases: string[][] = [
      [],
      ['frobnicate'],
      ['encode', join(dir, 'in.gcode'), '-o', join(dir, 'x.3w')],
      ['encode', join(dir, 'in.gcode'), '--model', 'dv1MX0A000'],
      ['encode', join(dir, 'in.gcode'), '-o', join(dir, 'x.3w'), '--model', 'dv1MX0A000', '--container', 'v7'],
      ['encode', join(dir, 'in.gcode'), '-o', join(dir, 'x.3w'), '--model', 'dv1MX0A000', '--bogus'],
      ['decode', '-o', join(dir, 'y.gcode')],
      ['info', 'a.3w', 'b.3w'],
    ];
    for (const args of cases) {
      const io = realIo();
      expect(await runThreeWCommand(args, io)).toBe(2);
      expect(io.stderr[0]).toMatch(/^3w: /);
      expect(io.stderr.join('\n')).toContain('usage: 3w encode');
    }
  });

  it('--help prints usage and exits 0', async () => {
    const io = realIo();
    expect(await runThreeWCommand(['--help'], io)).toBe(0);
    expect(io.stdout[0]).toContain('usage: 3w');
  });

  it('failures exit 1 with a clear message', async () => {
    const io = realIo();
    expect(await runThreeWCommand(['decode', join(dir, 'in.gcode'), '-o', join(dir, 'y.gcode')], io)).toBe(1);
    expect(io.stderr.at(-1)).toMatch(/not a \.3w file.*\[BAD_MAGIC\]/);

    expect(
      await runThreeWCommand(['encode', join(dir, 'in.gcode'), '-o', join(dir, 'x.3w'), '--model', 'dvNOPE'], io),
    ).toBe(1);
    expect(io.stderr.at(-1)).toContain('[UNKNOWN_MODEL]');

    expect(await runThreeWCommand(['info', join(dir, 'missing.3w')], io)).toBe(1);
    expect(io.stderr.at(-1)).toContain('ENOENT');
    expect(io.stderr.at(-1)).toContain(join(dir, 'missing.3w'));
  });

  it('info exits 1 when the body CRC does not match', async () => {
    const io = realIo();
    await runThreeWCommand(['encode', join(dir, 'in.gcode'), '-o', join(dir, 'x.3w'), '--model', 'dv1NX0A000'], io);
    const file = await readFile(join(dir, 'x.3w'));
    file.writeUInt8(file.readUInt8(file.length - 1) ^ 0xff, file.length - 1);
    await writeFile(join(dir, 'bad.3w'), file);
    expect(await runThreeWCommand(['info', join(dir, 'bad.3w')], io)).toBe(1);
    expect(io.stdout.join('\n')).toContain('MISMATCH');
    expect(await runThreeWCommand(['decode', join(dir, 'bad.3w'), '-o', join(dir, 'y.gcode')], io)).toBe(1);
    expect(io.stderr.at(-1)).toContain('[CRC_MISMATCH]');
  });
});
