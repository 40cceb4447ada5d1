import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Listeners } from '../../../src/shared/async';
import { findModel } from '../../../src/main/printers/xyz/models';
import { parseXyzAddress, printerFileName, readSettings } from '../../../src/main/printers/xyz/driver';
import { capabilitiesFor } from '../../../src/main/printers/xyz/driver/device-status';
import { XyzV3Session } from '../../../src/main/printers/xyz/driver/v3-session';
import { asciiBytes, queryRequest } from '../../../src/main/printers/xyz/protocol';
import {
  isXyzPort,
  findPortBySerialNumber,
  serialError,
  XyzTransportError,
  type XyzByteTransport,
} from '../../../src/main/printers/xyz/transport';

/** An in-memory transport: what the driver writes goes to `onWrite`, `push` plays the printer. */
class FakeTransport implements XyzByteTransport {
  readonly description = 'fake';
  isOpen = true;
  readonly data = new Listeners<[Uint8Array]>();
  readonly closed = new Listeners<[XyzTransportError | null]>();
  constructor(private readonly onWrite: (bytes: Uint8Array, t: FakeTransport) => void) {}
  open = (): Promise<void> => Promise.resolve();
  write(bytes: Uint8Array): Promise<void> {
    queueMicrotask(() => this.onWrite(bytes, this));
    return Promise.resolve();
  }
  close(): Promise<void> {
    this.isOpen = false;
    this.closed.emit(null);
    return Promise.resolve();
  }
  onData = (l: (chunk: Uint8Array) => void): (() => void) => this.data.add(l);
  onClose = (l: (e: XyzTransportError | null) => void): (() => void) => this.closed.add(l);
  push(text: string | Uint8Array): void {
    this.data.emit(typeof text === 'string' ? asciiBytes(text) : text);
  }
}

describe('addresses and settings', () => {
  it('parses the three address forms and refuses others with a readable message', () => {
    expect(parseXyzAddress('tcp://192.168.1.20')).toEqual({ kind: 'tcp', target: { host: '192.168.1.20', port: 9100 } });
    expect(parseXyzAddress('tcp://printer.local:9200')).toEqual({ kind: 'tcp', target: { host: 'printer.local', port: 9200 } });
    expect(parseXyzAddress('serial:///dev/ttyACM0')).toEqual({ kind: 'serial', path: '/dev/ttyACM0' });
    expect(parseXyzAddress('usb://3FNAXPUS5TH7CM0041')).toEqual({ kind: 'usb', serialNumber: '3FNAXPUS5TH7CM0041' });
    expect(() => parseXyzAddress('http://x')).toThrow(/not a da Vinci address/);
    expect(() => parseXyzAddress('usb://')).toThrow(/serial number/);
  });

  it('reads model, protocol and poll options, clamping numbers', () => {
    const s = readSettings({ model: 'dv1MW0A000', protocol: 'json', pollIdleMs: 5, pollActiveMs: '900' });
    expect(s.model?.name).toBe('da Vinci mini w');
    expect(s.protocol).toBe('json');
    expect(s.timings.pollIdleMs).toBe(200);
    expect(s.timings.pollActiveMs).toBe(900);
    expect(readSettings({ model: '3FNAXPUS5TH7CM0041' }).model?.name).toBe('da Vinci nano');
    expect(readSettings({ protocol: 'nonsense' }).protocol).toBe('auto');
  });

  it('names uploads the way the printer wants: short ASCII ending in .3w, no commas', () => {
    expect(printerFileName('My Part, v2 (final).gcode')).toBe('My_Part_v2_final.3w');
    expect(printerFileName('Ünïcødé.3w')).toBe('n_c_d.3w');
    expect(printerFileName('???.gcode')).toBe('print.3w');
    expect(printerFileName(`${'a'.repeat(100)}.gcode`)).toHaveLength(43);
  });

  it('offers maintenance only on LCD-less v3 models and the camera only on the 1.1 Plus over JSON', () => {
    expect(capabilitiesFor(findModel('dv1NX0A000'), 'v3')).toMatchObject({ print: true, home: true, calibrate: true, camera: false });
    expect(capabilitiesFor(findModel('dv1JW0A000'), 'v3')).toMatchObject({ print: true, home: false, jog: false });
    expect(capabilitiesFor(findModel('dvF110B000'), 'json')).toMatchObject({ print: true, camera: true, home: false });
    // v2 (XYZ_@3D): offline printing, but no job control or maintenance the spec can back.
    expect(capabilitiesFor(findModel('dvF100B000'), 'v2')).toMatchObject({ print: true, pause: false, cancel: false, home: false });
  });
});

describe('serial discovery and OS errors', () => {
  it('takes only XYZ ports: VID 0x11F1 or an XYZ description, never other devices', async () => {
    expect(isXyzPort({ path: '/dev/ttyACM0', vendorId: '11F1', productId: '2519' })).toBe(true);
    expect(isXyzPort({ path: 'COM3', friendlyName: 'XYZprinting da Vinci (COM3)' })).toBe(true);
    expect(isXyzPort({ path: '/dev/ttyUSB0', vendorId: '0403', manufacturer: 'FTDI' })).toBe(false);
    expect(isXyzPort({ path: '/dev/ttyS0' })).toBe(false);
    const list = async () => [
      { path: '/dev/ttyUSB0', vendorId: '0403', serialNumber: 'SN1' },
      { path: '/dev/ttyACM3', vendorId: '11f1', serialNumber: 'sn1' },
    ];
    expect((await findPortBySerialNumber('SN1', list))?.path).toBe('/dev/ttyACM3');
    expect(await findPortBySerialNumber('SN2', list)).toBeNull();
  });

  it('tells a Linux user exactly what to do about EACCES, and calls ENOENT unplugged', () => {
    const denied = serialError('/dev/ttyACM0', Object.assign(new Error('Error: Permission denied, cannot open /dev/ttyACM0'), { code: 'EACCES' }), 'linux');
    expect(denied.code).toBe('permission');
    expect(denied.message).toMatch(/dialout/);
    expect(denied.message).toMatch(/assets\/linux\/60-printdeck-serial\.rules/);
    const gone = serialError('/dev/ttyACM0', new Error('Error: No such file or directory, cannot open /dev/ttyACM0'), 'linux');
    expect(gone.code).toBe('unplugged');
    expect(gone.message).toMatch(/unplugged/);
  });
});

describe('XyzV3Session', () => {
  it('reads a reply split into chunks and drops a stale `$` left from before', async () => {
    const t = new FakeTransport((_bytes, tr) => {
      tr.push('$\n\nb:0\n');
      setTimeout(() => tr.push('j:9511,0\nok\n$\n'), 5);
    });
    const session = new XyzV3Session(t, 'usb');
    const reply = await session.request(queryRequest('a'), 1_000);
    expect(reply).toEqual({ kind: 'fields', complete: true, fields: [{ key: 'b', value: '0' }, { key: 'j', value: '9511,0' }] });
  });

  it('times out instead of hanging when the printer says nothing, and rejects when the link breaks', async () => {
    const silent = new XyzV3Session(new FakeTransport(() => undefined), 'usb');
    expect((await silent.request(queryRequest('a'), 50)).kind).toBe('timeout');
    const t = new FakeTransport((_b, tr) => tr.closed.emit(new XyzTransportError('unplugged', 'gone')));
    const session = new XyzV3Session(t, 'usb');
    await expect(session.request(queryRequest('a'), 1_000)).rejects.toMatchObject({ code: 'unplugged' });
  });

  it('never throws or hangs on random bytes and keeps its buffers bounded', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 3000 }), { maxLength: 8 }), async (chunks) => {
        const t = new FakeTransport((_b, tr) => chunks.forEach((c) => tr.push(c)));
        const session = new XyzV3Session(t, 'usb');
        const reply = await session.request(queryRequest('a'), 20);
        expect(['fields', 'timeout', 'rejected', 'protocol-error']).toContain(reply.kind);
      }),
      { numRuns: 60 },
    );
  });
});
