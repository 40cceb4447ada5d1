import { afterEach, describe, expect, it, vi } from 'vitest';
import { describePort, isXyzPort, type PortInfo } from '../../../src/main/printers/discovery/usb-discovery';
import { createTestHub, type TestHub } from '../../support/test-hub';

const NANO: PortInfo = { path: '/dev/ttyACM0', vendorId: '11f1', productId: '2504', serialNumber: '3FNAXPUS5TH7CM0041', manufacturer: 'XYZprinting' };
const ARDUINO: PortInfo = { path: '/dev/ttyACM1', vendorId: '2341', productId: '0043', serialNumber: '7523', manufacturer: 'Arduino' };

describe('USB discovery', () => {
  let t: TestHub | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  it('recognises XYZ ports by vendor id or name and never others', () => {
    expect(isXyzPort(NANO)).toBe(true);
    expect(isXyzPort({ path: '/dev/ttyUSB0', vendorId: '0x11F1' })).toBe(true);
    expect(isXyzPort({ path: 'COM3', pnpId: 'USB\\VID_11F1&PID_2504\\XYZ' })).toBe(true);
    expect(isXyzPort(ARDUINO)).toBe(false);
    expect(isXyzPort({ path: '/dev/ttyS0' })).toBe(false);
  });

  it('names the printer from its serial number and addresses it by serial so it survives replugging', () => {
    const offer = describePort(NANO, new Set());
    expect(offer).toMatchObject({ address: 'usb://3FNAXPUS5TH7CM0041', added: false, portPath: '/dev/ttyACM0' });
    expect(offer.label).toMatch(/nano \(3FNAXP…\)$/i);
    expect(describePort(NANO, new Set(['usb://3FNAXPUS5TH7CM0041'])).added).toBe(true);
    expect(describePort({ path: '/dev/ttyACM3', vendorId: '11f1' }, new Set()).address).toBe('serial:///dev/ttyACM3');
  });

  it('offers plugged-in printers to clients, marks them added, and survives a failing lister', async () => {
    let ports: PortInfo[] = [ARDUINO];
    let fail = false;
    t = await createTestHub({ listPorts: async () => (fail ? Promise.reject(new Error('no binding')) : ports) });
    const changes: unknown[] = [];
    t.hub.events.addSink({ deliver: (b) => b.filter((e) => e.name === 'discovery.changed').forEach((e) => changes.push(e.payload)) });
    const call = (m: string) => t!.hub.registrar.dispatch(m, {}, { transport: 'memory', clientId: 't' });
    await vi.waitFor(async () => expect(await call('discovery.list')).toEqual({ ok: true, value: [] }));
    ports = [ARDUINO, NANO];
    await vi.waitFor(async () => expect(await call('discovery.list')).toMatchObject({ ok: true, value: [{ added: false }] }), { timeout: 8000 });
    t.hub.connections.add({ kind: 'xyz', name: 'Nano', address: 'usb://3FNAXPUS5TH7CM0041', options: {} });
    await vi.waitFor(async () => expect(await call('discovery.list')).toMatchObject({ ok: true, value: [{ added: true }] }));
    fail = true;
    await vi.waitFor(async () => expect(await call('discovery.list')).toEqual({ ok: true, value: [] }), { timeout: 8000 });
    expect(t.logLines.filter((l) => l.includes('cannot list serial ports'))).toHaveLength(1);
    t.hub.events.flush();
    expect(changes.length).toBeGreaterThanOrEqual(3);
  }, 30_000);
});
