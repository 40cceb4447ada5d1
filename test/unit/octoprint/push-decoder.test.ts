import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  authMessage,
  decodePushMessage,
  encodeClientMessage,
  subscribeMessage,
  throttleMessage,
} from '../../../src/main/printers/octoprint/protocol';
import { pick, record, samples1 } from './samples';

const capturedCurrent = record(pick(samples1, 'messages', 'current_printing'));

describe('decodePushMessage', () => {
  it('accepts the JSON text of a raw WebSocket frame', () => {
    const decoded = decodePushMessage(JSON.stringify({ reauthRequired: { reason: 'stale' } }));
    expect(decoded).toEqual({ type: 'reauthRequired', payload: { reason: 'stale' } });
  });

  it('decodes slicingProgress and plugin messages', () => {
    expect(
      decodePushMessage({ slicingProgress: { slicer: 'cura', progress: 42.5 } }),
    ).toMatchObject({
      type: 'slicingProgress',
      payload: { progress: 42.5 },
    });
    expect(
      decodePushMessage({ plugin: { plugin: 'appkeys', data: { type: 'request_access' } } }),
    ).toMatchObject({
      type: 'plugin',
      payload: { plugin: 'appkeys' },
    });
  });

  it('ignores unknown types, including ones the source sends but this client does not use', () => {
    expect(decodePushMessage({ renderProgress: { progress: 10 } })).toEqual({
      type: 'unknown',
      key: 'renderProgress',
    });
    expect(decodePushMessage({ somethingNew: 1 })).toEqual({
      type: 'unknown',
      key: 'somethingNew',
    });
  });

  it('prototype-looking keys are unknown, not matched against Object.prototype', () => {
    expect(decodePushMessage(JSON.parse('{"__proto__": {"x": 1}}'))).toEqual({
      type: 'unknown',
      key: '__proto__',
    });
    expect(decodePushMessage({ toString: 'x' })).toEqual({ type: 'unknown', key: 'toString' });
    expect(decodePushMessage({ hasOwnProperty: 'x' })).toEqual({
      type: 'unknown',
      key: 'hasOwnProperty',
    });
  });

  it('frames that are not one-key objects are unknown', () => {
    for (const raw of [
      null,
      42,
      'null',
      '[]',
      [],
      {},
      { current: capturedCurrent, event: {} },
      true,
    ]) {
      expect(decodePushMessage(raw).type).toBe('unknown');
    }
  });

  it('text that is not JSON is invalid', () => {
    expect(decodePushMessage('{"current":')).toEqual({
      type: 'invalid',
      messageType: null,
      reason: 'frame is not valid JSON',
    });
    expect(decodePushMessage('h')).toMatchObject({ type: 'invalid' });
  });

  it('a known type with a broken payload is invalid and says where', () => {
    const broken = { ...capturedCurrent, state: { text: 'Printing' } };
    const decoded = decodePushMessage({ current: broken });
    expect(decoded).toMatchObject({ type: 'invalid', messageType: 'current' });
    if (decoded.type === 'invalid') expect(decoded.reason).toContain('state.flags');
    expect(decodePushMessage({ event: { payload: {} } })).toMatchObject({
      type: 'invalid',
      messageType: 'event',
    });
    expect(decodePushMessage({ reauthRequired: 'stale' })).toMatchObject({
      type: 'invalid',
      messageType: 'reauthRequired',
    });
    expect(decodePushMessage({ connected: {} })).toMatchObject({
      type: 'invalid',
      messageType: 'connected',
    });
    expect(decodePushMessage({ timelapse: 3 })).toMatchObject({
      type: 'invalid',
      messageType: 'timelapse',
    });
  });

  it('a surprise in a side channel does not cost the state update', () => {
    const decoded = decodePushMessage({
      current: { ...capturedCurrent, logs: 'not a list', markings: [1], resends: 'x' },
    });
    if (decoded.type !== 'current') throw new Error(`decoded as ${decoded.type}`);
    expect(decoded.payload.state.text).toBe('Printing');
    expect(decoded.payload.logs).toEqual([]);
    expect(decoded.payload.markings).toEqual([]);
  });

  it('unknown fields are accepted', () => {
    const decoded = decodePushMessage({
      current: { ...capturedCurrent, plugins: { foo: {} }, brandNew: true },
    });
    expect(decoded.type).toBe('current');
  });

  it('an event without payload has payload null', () => {
    expect(decodePushMessage({ event: { type: 'Disconnected' } })).toEqual({
      type: 'event',
      payload: { type: 'Disconnected', payload: null },
    });
  });

  it('never throws for any JSON value, known keys included (property)', () => {
    const knownKeys = [
      'connected',
      'history',
      'current',
      'event',
      'reauthRequired',
      'plugin',
      'slicingProgress',
      'timelapse',
    ];
    const frame = fc.oneof(
      fc.jsonValue(),
      fc
        .record({ key: fc.constantFrom(...knownKeys), value: fc.jsonValue() })
        .map(({ key, value }) => ({ [key]: value })),
      fc.string(),
      fc.json(),
    );
    fc.assert(
      fc.property(frame, (raw) => {
        const decoded = decodePushMessage(raw);
        expect(['unknown', 'invalid', ...knownKeys]).toContain(decoded.type);
      }),
      { numRuns: 2000 },
    );
  });

  it('mutating a captured current never throws (property)', () => {
    const keys = Object.keys(capturedCurrent);
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.jsonValue(), (key, value) => {
        const decoded = decodePushMessage({ current: { ...capturedCurrent, [key]: value } });
        expect(['current', 'invalid']).toContain(decoded.type);
      }),
      { numRuns: 500 },
    );
  });
});

describe('client -> server builders', () => {
  it('auth is name:session', () => {
    expect(encodeClientMessage(authMessage({ name: 'admin', session: 'abc123' }))).toBe(
      '{"auth":"admin:abc123"}',
    );
    expect(() => authMessage({ name: '', session: 'x' })).toThrow(RangeError);
  });

  it('throttle takes integers >= 1 only', () => {
    expect(encodeClientMessage(throttleMessage(2))).toBe('{"throttle":2}');
    for (const bad of [0, -1, 1.5, Number.NaN])
      expect(() => throttleMessage(bad)).toThrow(RangeError);
  });

  it('subscribe passes the selection through', () => {
    expect(
      encodeClientMessage(
        subscribeMessage({
          state: { logs: false, messages: false },
          events: ['PrintDone'],
          plugins: false,
        }),
      ),
    ).toBe(
      '{"subscribe":{"state":{"logs":false,"messages":false},"events":["PrintDone"],"plugins":false}}',
    );
  });
});

describe('plugin events', () => {
  it('pass on with whatever payload they carry', async () => {
    const { readEvent } = await import('../../../src/main/printers/octoprint/protocol');
    const decoded = decodePushMessage({
      event: { type: 'plugin_achievements_achievement_unlocked', payload: ['not', 'an', 'object'] },
    });
    if (decoded.type !== 'event') throw new Error(`decoded as ${decoded.type}`);
    expect(readEvent(decoded.payload)).toEqual({
      kind: 'other',
      name: 'plugin_achievements_achievement_unlocked',
      payload: ['not', 'an', 'object'],
    });
  });
});
