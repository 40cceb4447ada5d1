import { Metadata, status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { toArmoryError } from '../../../src/main/cloud/armory/errors';
import { grpcEndpoint } from '../../../src/main/net/grpc';
import { backoffDelay } from '../../../src/shared/async';
import { durationSec, nextCursor, taskStatus, toCloudMessage, toCloudTask, toUpdates } from '../../../src/main/cloud/mapping';
import { coverIdOf, sniffImage } from '../../../src/main/cloud/covers';
import { newerThan } from '../../../src/main/cloud/inbox';

const ctx = { coverId: (url: string) => (url ? coverIdOf(url) : null), deviceName: (id: string) => (id === 'SN1' ? 'Lab X1' : null) };

describe('cloud mapping', () => {
  it('puts task status codes in words', () => {
    expect(taskStatus(2)).toEqual({ code: 2, label: 'Finished', tone: 'ok' });
    expect(taskStatus(3)).toEqual({ code: 3, label: 'Failed or aborted', tone: 'error' });
    expect(taskStatus(4)).toEqual({ code: 4, label: 'Printing', tone: 'running' });
    expect(taskStatus(0).label).toBe('Status 0, not explained by the cloud');
    expect(taskStatus(-7)).toMatchObject({ tone: 'unknown' });
    for (const code of [0, 1, 4, 5, -7]) expect(taskStatus(code).label).not.toMatch(/unknown/);
  });

  it('a running task (end = start in the cloud) has taken the time so far, not 0 s', () => {
    const running = {
      id: '124',
      modelId: 'm',
      title: 'Benchy',
      cover: '',
      status: 4,
      startTime: '2026-08-01T10:00:00Z',
      endTime: '2026-08-01T10:00:00Z',
      weight: 1,
      costTime: '3600',
      deviceId: 'SN1',
      mode: 'cloud_file',
    };
    const at = Date.parse('2026-08-01T10:25:00Z');
    expect(toCloudTask(running, { ...ctx, now: () => at })).toMatchObject({ durationSec: 1500, status: { label: 'Printing' } });
    expect(toCloudTask({ ...running, status: 2 }, { ...ctx, now: () => at }).durationSec).toBe(0);
  });

  it('says a refused sign-in in Printdeck’s words, whether the server answers UNAUTHENTICATED or PERMISSION_DENIED', () => {
    const refusal = (code: status, details: string, armoryCode?: string) => {
      const metadata = new Metadata();
      if (armoryCode) metadata.set('armory-error-code', armoryCode);
      return Object.assign(new Error(details), { code, details, metadata });
    };
    for (const code of [status.UNAUTHENTICATED, status.PERMISSION_DENIED]) {
      const pw = toArmoryError(refusal(code, 'PD-4411 credential mismatch (ref 7f3a)'), 'Login', { passwordLogin: true });
      expect(pw).toMatchObject({ failure: 'bad-credentials', message: 'The account or password is wrong.' });
      const wrongCode = toArmoryError(refusal(code, 'PD-4412 otp rejected'), 'Login', { codeLogin: true });
      expect(wrongCode).toMatchObject({ failure: 'code-wrong', message: expect.stringMatching(/^The verification code is not right/) });
      expect(wrongCode.message).not.toContain('PD-');
    }
  });

  it('maps a task: real duration from the times, estimates kept apart, device named', () => {
    const task = toCloudTask(
      {
        id: '123',
        modelId: 'm',
        title: '',
        cover: 'https://oss.example/c.png',
        status: 2,
        startTime: '2026-08-01T10:00:00Z',
        endTime: '2026-08-01T10:30:00Z',
        weight: 12.5,
        costTime: '3600',
        deviceId: 'SN1',
        mode: 'cloud_file',
      },
      ctx,
    );
    expect(task).toMatchObject({ id: '123', title: 'Untitled print', durationSec: 1800, estimatedSec: 3600, weightGrams: 12.5, deviceName: 'Lab X1' });
    expect(task.coverId).toMatch(/^[0-9a-f]{32}$/);
    expect(durationSec('garbage', '2026-08-01T10:30:00Z')).toBeNull();
    expect(durationSec('2026-08-01T10:30:00Z', '2026-08-01T10:00:00Z')).toBeNull();
  });

  it('maps messages with and without a task', () => {
    const m = toCloudMessage(
      { id: '9', type: 6, taskMessage: { id: '5', title: 'Benchy', cover: '', status: 3, deviceId: 'SN1' }, from: undefined, createTime: 'bad' },
      ctx,
    );
    expect(m).toMatchObject({ typeLabel: 'Print task', createdAt: null, from: null, task: { title: 'Benchy', coverId: null, deviceName: 'Lab X1', status: { tone: 'error' } } });
    expect(toCloudMessage({ id: '10', type: 1, createTime: '', taskMessage: undefined, from: undefined }, ctx)).toMatchObject({ typeLabel: 'Message type 1', task: null });
  });

  it('pages with a cursor and stops at a short page or a cursor that does not move', () => {
    expect(nextCursor(['9', '8', '7'], 3, undefined)).toBe('7');
    expect(nextCursor(['9', '8'], 3, undefined)).toBeNull();
    expect(nextCursor([], 3, '5')).toBeNull();
    expect(nextCursor(['7', '6', '5'], 3, '5')).toBeNull();
    expect(nextCursor(['a b', 'c', 'd;drop'], 3, undefined)).toBeNull();
  });

  it('lists updates, flags forced ones and drops non-http links', () => {
    const updates = toUpdates({
      base: undefined,
      software: { version: '2.0', description: 'd', url: 'javascript:alert(1)', forceUpdate: true },
      resources: [
        { type: 'slicer/plugins/cloud', version: '1.1', description: '', url: 'https://x.example/p.zip', forceUpdate: false },
        { type: 'empty', version: '', description: '', url: '', forceUpdate: false },
      ],
    });
    expect(updates).toEqual([
      { type: 'software', version: '2.0', description: 'd', url: null, forceUpdate: true },
      { type: 'slicer/plugins/cloud', version: '1.1', description: '', url: 'https://x.example/p.zip', forceUpdate: false },
    ]);
  });

  it('finds only messages newer than the last seen id, numerically', () => {
    const msgs = [{ id: '100' }, { id: '99' }, { id: '10' }, { id: 'x' }];
    expect(newerThan(msgs, '99').map((m) => m.id)).toEqual(['100']);
    expect(newerThan(msgs, null).map((m) => m.id)).toEqual(['100', '99', '10']);
  });

  it('accepts only picture bytes it recognises', () => {
    expect(sniffImage(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffImage(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toBe('image/png');
    expect(sniffImage(new TextEncoder().encode('<svg onload=alert(1)>'))).toBeNull();
  });
});

describe('Armory client pieces', () => {
  it('reads TLS or plaintext from the address', () => {
    expect(grpcEndpoint('grpcs://armory.example.com', 'Armory')).toMatchObject({ target: 'armory.example.com:443', tls: true });
    expect(grpcEndpoint('grpc://127.0.0.1:5051', 'Armory')).toMatchObject({ target: '127.0.0.1:5051', tls: false });
    expect(() => grpcEndpoint('https://x', 'Armory')).toThrow(/Armory addresses start with grpcs:\/\//);
  });

  it('backs off exponentially with jitter, within bounds', () => {
    const policy = { baseMs: 100, maxMs: 1000, jitter: 'equal' } as const;
    expect(backoffDelay(0, policy, () => 0)).toBe(50);
    expect(backoffDelay(0, policy, () => 1)).toBe(100);
    expect(backoffDelay(3, policy, () => 0)).toBe(400);
    expect(backoffDelay(10, policy, () => 1)).toBe(1000);
    for (let i = 0; i < 50; i++) {
      const d = backoffDelay(i % 8, policy);
      expect(d).toBeGreaterThanOrEqual(50);
      expect(d).toBeLessThanOrEqual(1000);
    }
  });

  it('gives clear errors for bad credentials, codes, expiry and outages', () => {
    const err = (code: number, details: string, md?: Record<string, string>) => {
      const metadata = new Metadata();
      for (const [k, v] of Object.entries(md ?? {})) metadata.set(k, v);
      return Object.assign(new Error(details), { code, details, metadata });
    };
    expect(toArmoryError(err(status.UNAUTHENTICATED, 'x'), 'Login', { passwordLogin: true })).toMatchObject({ failure: 'bad-credentials', code: 'AUTH_REQUIRED' });
    expect(toArmoryError(err(status.INVALID_ARGUMENT, 'whatever', { 'armory-error-code': '1' }), 'Login', { codeLogin: true }).failure).toBe('code-expired');
    expect(toArmoryError(err(status.INVALID_ARGUMENT, 'Code has expired'), 'Login', { codeLogin: true }).failure).toBe('code-expired');
    expect(toArmoryError(err(status.INVALID_ARGUMENT, 'nope'), 'Login', { codeLogin: true }).failure).toBe('code-wrong');
    expect(toArmoryError(err(status.UNAUTHENTICATED, 'token expired'), 'ListMyTasks')).toMatchObject({ failure: 'unauthenticated', detail: 'unauthenticated' });
    expect(toArmoryError(err(status.UNAVAILABLE, 'down'), 'GetPrintStatus')).toMatchObject({ failure: 'unavailable', code: 'UNAVAILABLE' });
    expect(toArmoryError(err(status.DEADLINE_EXCEEDED, ''), 'GetPrintStatus')).toMatchObject({ failure: 'timeout', code: 'TIMEOUT' });
  });
});
