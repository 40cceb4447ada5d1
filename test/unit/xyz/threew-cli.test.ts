import { createCipheriv, createDecipheriv } from 'node:crypto';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
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

const KEY16 = Buffer.from('@xyzprinting.com');
const ZERO_IV = Buffer.alloc(16);
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

  it("names of Object's own members are unknown subcommands (usage, exit 2), not crashes", async () => {
    for (const name of ['constructor', 'toString', '__proto__', 'valueOf', 'hasOwnProperty']) {
      const io = realIo();
      expect(await runThreeWCommand([name, 'x'], io)).toBe(2);
      expect(io.stderr[0]).toBe(`3w: unknown subcommand ${JSON.stringify(name)}`);
      expect(io.stderr.join('\n')).toContain('usage: 3w encode');
    }
  });

  /** A v5 file of the test G-code with its body replaced (the stored CRC made to match). */
  async function withBody(name: string, edit: (body: Buffer) => Buffer, container: 'v5' | 'zip' = 'v5'): Promise<string> {
    const io = realIo();
    const model = container === 'zip' ? 'dvF100B000' : 'dv1MX0A000';
    await runThreeWCommand(['encode', join(dir, 'in.gcode'), '-o', join(dir, 'base.3w'), '--model', model, '--container', container], io);
    const file = await readFile(join(dir, 'base.3w'));
    const body = edit(Buffer.from(file.subarray(8192)));
    const out = Buffer.concat([file.subarray(0, 8192), body]);
    out.writeUInt32BE(crc32(body), container === 'zip' ? 4716 : 0x30);
    await writeFile(join(dir, name), out);
    return join(dir, name);
  }

  it('info fails where decode fails: ragged body, empty body, a ZIP whose size lies', async () => {
    const ragged = await withBody('ragged.3w', (body) => body.subarray(0, body.length - 5));
    const empty = await withBody('empty.3w', () => Buffer.alloc(0));
    const lying = await withBody(
      'lying.3w',
      (body) => {
        const archive = zipArchiveOf(body);
        const eocd = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
        const central = archive.readUInt32LE(eocd + 16);
        archive.writeUInt32LE(archive.readUInt32LE(central + 24) + 1, central + 24);
        return zipBodyOf(archive);
      },
      'zip',
    );
    for (const [file, code] of [
      [ragged, 'BAD_BODY_LENGTH'],
      [empty, 'BAD_BODY_LENGTH'],
      [lying, 'BAD_ZIP'],
    ] as const) {
      const decodeIo = realIo();
      expect(await runThreeWCommand(['decode', file, '-o', join(dir, 'out.gcode')], decodeIo)).toBe(1);
      expect(decodeIo.stderr.at(-1)).toContain(`[${code}]`);
      const infoIo = realIo();
      expect(await runThreeWCommand(['info', file], infoIo)).toBe(1);
      expect(infoIo.stderr.at(-1)).toContain(`[${code}]`);
    }
  });

  it('decode --no-crc-check of a truncated body warns that the G-code is truncated', async () => {
    const io = realIo();
    await runThreeWCommand(['encode', join(dir, 'in.gcode'), '-o', join(dir, 'x.3w'), '--model', 'dv1MX0A000'], io);
    const file = await readFile(join(dir, 'x.3w'));
    await writeFile(join(dir, 'cut.3w'), file.subarray(0, file.length - 16));
    expect(await runThreeWCommand(['decode', join(dir, 'cut.3w'), '-o', join(dir, 'y.gcode')], io)).toBe(1);
    expect(io.stderr.at(-1)).toContain('[CRC_MISMATCH]');

    const lenient = realIo();
    expect(await runThreeWCommand(['decode', join(dir, 'cut.3w'), '-o', join(dir, 'y.gcode'), '--no-crc-check'], lenient)).toBe(0);
    expect(lenient.stderr.join('\n')).toMatch(/cut\.3w: warning: .*truncated/);
  });

  it('a file beyond the size limit is refused by name before it is read', async () => {
    // Sparse: 3 GiB on paper, nothing on disk.
    await writeFile(join(dir, 'huge.3w'), '');
    await truncate(join(dir, 'huge.3w'), 3 * 1024 ** 3);
    for (const args of [['info', join(dir, 'huge.3w')], ['decode', join(dir, 'huge.3w'), '-o', join(dir, 'y.gcode')], ['encode', join(dir, 'huge.3w'), '-o', join(dir, 'y.3w'), '--model', 'dv1MX0A000']]) {
      const io = realIo();
      expect(await runThreeWCommand(args, io)).toBe(1);
      expect(io.stderr.at(-1)).toContain(`${join(dir, 'huge.3w')} is 3221225472 bytes, more than`);
      expect(io.stderr.at(-1)).toContain('[TOO_LARGE]');
    }
  });

  it('a directory or a file that is not regular is refused by name', async () => {
    for (const sub of [['info'], ['decode', '-o', join(dir, 'y.gcode')], ['encode', '-o', join(dir, 'y.3w'), '--model', 'dv1MX0A000']]) {
      const io = realIo();
      const [name, ...rest] = sub;
      expect(await runThreeWCommand([name!, dir, ...rest], io)).toBe(1);
      expect(io.stderr.at(-1)).toContain(`${dir} is a directory`);
      expect(io.stderr.at(-1)).toContain('EISDIR');
    }
  });
});

function zipArchiveOf(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < body.length; at += 8208) {
    const decipher = createDecipheriv('aes-128-cbc', KEY16, ZERO_IV);
    parts.push(Buffer.concat([decipher.update(body.subarray(at, at + 8208)), decipher.final()]));
  }
  return Buffer.concat(parts);
}

function zipBodyOf(archive: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < archive.length; at += 8192) {
    const cipher = createCipheriv('aes-128-cbc', KEY16, ZERO_IV);
    parts.push(Buffer.concat([cipher.update(archive.subarray(at, at + 8192)), cipher.final()]));
  }
  return Buffer.concat(parts);
}
