import { describe, expect, it } from 'vitest';
import { addressProblem, calls, normalizeAddress, ConnectionInput, events, METHOD_NAMES } from '../../../src/shared/contract';

describe('contract schemas', () => {
  it('declares request, response and a timeout for every call', () => {
    expect(METHOD_NAMES.length).toBeGreaterThan(5);
    for (const name of METHOD_NAMES) {
      expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
      expect(calls[name].timeoutMs).toBeGreaterThan(0);
    }
  });

  it('coalesces device deltas by device id, merging them', () => {
    expect(events['devices.delta'].coalesceKey).toBeTypeOf('function');
    expect(events['devices.delta'].merge).toBeTypeOf('function');
    expect(events['connections.changed']).not.toHaveProperty('coalesceKey');
  });

  it.each([
    ['xyz', 'tcp://192.168.1.20:9100', true],
    ['xyz', 'serial:///dev/ttyACM0', true],
    ['xyz', 'serial://', false],
    ['xyz', 'http://printer', false],
    ['octoprint', 'http://octopi.local', true],
    // A bare host means plain http, as OctoPrint serves by default (normalized by the connection service).
    ['octoprint', 'octopi.local', true],
    ['octoprint', '127.0.0.1:5000', true],
    ['octoprint', 'ftp://octopi.local', false],
    ['armory', 'grpcs://armory.example.com:443', true],
    ['imss', 'grpc://127.0.0.1:5000', true],
    ['skiserver', 'https://chat', false],
  ] as const)('%s address %s acceptable: %s', (kind, address, acceptable) => {
    expect(addressProblem(kind, address) === null).toBe(acceptable);
  });

  it('stores a bare OctoPrint host as http', () => {
    expect(normalizeAddress('octoprint', ' octopi.local ')).toBe('http://octopi.local');
    expect(normalizeAddress('octoprint', '127.0.0.1:5000')).toBe('http://127.0.0.1:5000');
    expect(normalizeAddress('octoprint', 'https://printer.example.org')).toBe('https://printer.example.org');
    expect(normalizeAddress('xyz', '192.168.1.20:9100')).toBe('192.168.1.20:9100');
  });

  it('trims names, defaults options and rejects oversized secrets', () => {
    expect(ConnectionInput.parse({ kind: 'octoprint', name: '  Ender ', address: 'http://o' })).toEqual({
      kind: 'octoprint',
      name: 'Ender',
      address: 'http://o',
      options: {},
    });
    expect(ConnectionInput.safeParse({ kind: 'octoprint', name: 'E', address: 'http://o', secret: 'x'.repeat(9000) }).success).toBe(false);
    expect(ConnectionInput.safeParse({ kind: 'octoprint', name: '   ', address: 'http://o' }).success).toBe(false);
    const tooMany = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i]));
    expect(ConnectionInput.safeParse({ kind: 'octoprint', name: 'E', address: 'http://o', options: tooMany }).success).toBe(false);
    expect(ConnectionInput.safeParse({ kind: 'octoprint', name: 'E', address: 'http://o', options: { __proto__x: 1 } }).success).toBe(false);
  });
});
