import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../src/shared/rpc/result';
import { createRegistrar, type Handlers } from '../../../src/main/rpc/registrar';
import { createLogger } from '../../../src/main/log';

const ctx = { transport: 'memory' as const, clientId: 't' };

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  const notCalled = () => {
    throw new Error('should not be called');
  };
  const base = Object.fromEntries(
    [
      'app.info', 'connections.list', 'connections.add', 'connections.update', 'connections.remove', 'devices.list',
      'demo.start', 'demo.stop', 'demo.state', 'demo.inject', 'notifications.list',
    ].map((m) => [m, notCalled]),
  ) as unknown as Handlers;
  return { ...base, ...overrides };
}

describe('registrar', () => {
  const lines: string[] = [];
  const log = createLogger('t', (l) => lines.push(l));

  it('refuses unknown methods without calling anything', async () => {
    const r = createRegistrar(handlers(), log);
    const result = await r.dispatch('printers.selfDestruct', {}, ctx);
    expect(result).toEqual({ ok: false, error: { code: 'UNKNOWN_METHOD', message: expect.stringContaining('printers.selfDestruct') } });
    expect(await r.dispatch(42, {}, ctx)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(await r.dispatch('__proto__', {}, ctx)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(await r.dispatch('toString', {}, ctx)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('refuses malformed payloads before they reach the service, naming the field', async () => {
    const add = vi.fn();
    const r = createRegistrar(handlers({ 'connections.add': add }), log);
    const bad = await r.dispatch('connections.add', { kind: 'xyz', name: 'Nano', address: 'ftp://x' }, ctx);
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', detail: 'address' } });
    expect(bad.ok ? '' : bad.error.message).toMatch(/tcp:\/\//);
    expect(await r.dispatch('connections.add', 'not an object', ctx)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await r.dispatch('connections.add', { kind: 'toaster', name: 'x', address: 'tcp://a:1' }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', detail: 'kind' },
    });
    expect(await r.dispatch('connections.remove', { id: 'a', extra: true }, ctx)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await r.dispatch('connections.add', { kind: 'xyz', name: 'x'.repeat(500), address: 'tcp://a:1' }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', detail: 'name' },
    });
    expect(add).not.toHaveBeenCalled();
  });

  it('passes parsed requests (with defaults) to the handler and wraps the value', async () => {
    const add = vi.fn((req) => ({ ...req, id: '1', hasSecret: false, origin: 'user', createdAt: 1, updatedAt: 1 }));
    const r = createRegistrar(handlers({ 'connections.add': add as never }), log);
    const result = await r.dispatch('connections.add', { kind: 'xyz', name: ' Nano ', address: 'tcp://10.0.0.2:9100' }, ctx);
    expect(result.ok).toBe(true);
    expect(add).toHaveBeenCalledWith({ kind: 'xyz', name: 'Nano', address: 'tcp://10.0.0.2:9100', options: {} }, ctx);
  });

  it('turns AppError into a typed error and hides unexpected errors behind INTERNAL', async () => {
    const r = createRegistrar(
      handlers({
        'connections.remove': () => {
          throw new AppError('NOT_FOUND', 'No connection with id x.');
        },
        'connections.list': () => {
          throw new Error('secret internal detail /home/user/.key');
        },
      }),
      log,
    );
    expect(await r.dispatch('connections.remove', { id: 'x' }, ctx)).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'No connection with id x.' },
    });
    const internal = await r.dispatch('connections.list', {}, ctx);
    expect(internal).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(internal)).not.toContain('secret internal detail');
    expect(lines.some((l) => l.includes('secret internal detail'))).toBe(true);
  });

  it('answers TIMEOUT when a handler hangs past the declared limit', async () => {
    vi.useFakeTimers();
    try {
      const r = createRegistrar(handlers({ 'connections.list': () => new Promise(() => {}) }), log);
      const pending = r.dispatch('connections.list', {}, ctx);
      await vi.advanceTimersByTimeAsync(30_001);
      expect(await pending).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    } finally {
      vi.useRealTimers();
    }
  });
});
