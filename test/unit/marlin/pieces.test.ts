import { describe, expect, it } from 'vitest';
import { parseMarlinAddress } from '../../../src/main/printers/marlin/address';
import { Handshake, HELLO } from '../../../src/main/printers/marlin/engine/handshake';
import { ParkState } from '../../../src/main/printers/marlin/park';
import { addressProblem } from '../../../src/shared/contract';

describe('Marlin address', () => {
  it('reads the port and an optional baud rate', () => {
    expect(parseMarlinAddress('serial:///dev/ttyUSB0?baud=115200')).toEqual({ path: '/dev/ttyUSB0', baud: 115200 });
    expect(parseMarlinAddress('serial:///dev/ttyACM0')).toEqual({ path: '/dev/ttyACM0', baud: null });
    expect(parseMarlinAddress('serial:///COM3')).toEqual({ path: 'COM3', baud: null });
    expect(() => parseMarlinAddress('serial:///dev/ttyUSB0?baud=fast')).toThrow(/not a baud rate/);
    expect(addressProblem('marlin', 'serial:///dev/ttyUSB0?baud=fast')).toMatch(/not a baud rate/);
    expect(addressProblem('marlin', 'http://printer')).toMatch(/serial:\/\/\/dev\/ttyUSB0/);
    expect(addressProblem('marlin', 'serial:///dev/ttyUSB0?baud=250000')).toBeNull();
  });
});

describe('Marlin handshake', () => {
  it('speaks first and succeeds on ok (native USB boards print nothing on open)', () => {
    const h = new Handshake({ settleMs: 100 });
    expect(h.start(0)).toBe(HELLO);
    h.line('ok', 10);
    expect(h.result).toBe('pending');
    h.line('ok', 20);
    expect(h.tick(200)).toBe('');
    expect(h.result).toBe('ok');
  });

  it('after `start` (a board reset by opening the port) waits for the banner to end, then says hello again', () => {
    const h = new Handshake({ bannerQuietMs: 300 });
    h.start(0);
    h.line('start', 1_000);
    h.line('echo: Last Updated: 2024-10-14', 1_100);
    expect(h.tick(1_300)).toBe('');
    expect(h.tick(1_450)).toBe(HELLO);
    expect(h.booted).toBe(true);
  });

  it('gives up after its attempts when nothing answers', () => {
    const h = new Handshake({ helloIntervalMs: 100, attempts: 2 });
    h.start(0);
    expect(h.tick(100)).toBe(HELLO);
    h.tick(200);
    expect(h.result).toBe('failed');
  });
});

describe('Pause park', () => {
  it('lifts with a relative move and puts the file modes back (G90 also resets E to absolute)', () => {
    const p = new ParkState();
    for (const c of ['G90', 'M83', 'G1 X1']) p.observe(c);
    expect(p.parkCommands()).toEqual(['G91', 'G1 Z5 F600', 'G90', 'M83']);
    expect(p.unparkCommands()).toEqual(['G91', 'G1 Z-5 F600', 'G90', 'M83']);
    p.observe('G91');
    expect(p.parkCommands(10)).toEqual(['G91', 'G1 Z10 F600', 'G91']);
  });
});

describe('Marlin handshake on a board that resets when the port opens', () => {
  it('says nothing until the banner is over (the bootloader gets no bytes)', () => {
    const h = new Handshake({ startWaitMs: 2_500, bannerQuietMs: 300 });
    expect(h.start(0)).toBe('');
    expect(h.tick(1_000)).toBe('');
    h.line('start', 1_200);
    h.line('Marlin 2.1.2.4', 1_250);
    expect(h.tick(1_400)).toBe('');
    expect(h.tick(1_600)).toBe(HELLO);
  });

  it('speaks anyway when no banner comes', () => {
    const h = new Handshake({ startWaitMs: 2_500 });
    expect(h.start(0)).toBe('');
    expect(h.tick(2_500)).toBe(HELLO);
  });
});
