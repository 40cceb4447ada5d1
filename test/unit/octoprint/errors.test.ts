import { describe, expect, it } from 'vitest';
import {
  classifyErrorReply,
  readCommandReply,
  readJsonReply,
  toRpcError,
  VersionResponse,
} from '../../../src/main/printers/octoprint/protocol';
import type { HttpReply } from '../../../src/main/printers/links/http-reply';
import { pick, samples1, samples2 } from './samples';

const reply = (method: HttpReply['method'], status: number, body: unknown): HttpReply => ({
  method,
  status,
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('classifyErrorReply', () => {
  it('403 on a GET means the key is invalid or revoked', () => {
    const error = classifyErrorReply(
      reply('GET', 403, {
        error: "You don't have the permission to access the requested resource.",
      }),
    );
    expect(error.kind).toBe('keyInvalid');
    expect(error.status).toBe(403);
    expect(error.message).toMatch(/API key/);
  });

  it('400 "CSRF validation failed" on a POST also means the key is invalid', () => {
    expect(classifyErrorReply(reply('POST', 400, { error: 'CSRF validation failed' })).kind).toBe(
      'keyInvalid',
    );
    expect(classifyErrorReply(reply('DELETE', 400, { error: 'CSRF validation failed' })).kind).toBe(
      'keyInvalid',
    );
  });

  it('other 400s are bad requests that keep the server text', () => {
    const error = classifyErrorReply(reply('POST', 400, { error: 'port is invalid' }));
    expect(error).toMatchObject({ kind: 'badRequest', serverMessage: 'port is invalid' });
    expect(error.message).toContain('port is invalid');
  });

  it('403 on a POST is a valid key without the permission', () => {
    expect(classifyErrorReply(reply('POST', 403, { error: 'Forbidden' })).kind).toBe('forbidden');
  });

  it('409 "not operational" (captured) vs other 409 preconditions (captured)', () => {
    const notOperational = pick(samples2, 'printerAfterError') as { status: number; body: unknown };
    expect(classifyErrorReply(reply('GET', notOperational.status, notOperational.body)).kind).toBe(
      'notOperational',
    );
    const pauseIdle = pick(samples1, 'rest', 'pauseIdle') as { status: number; body: unknown };
    const idle = classifyErrorReply(reply('POST', pauseIdle.status, pauseIdle.body));
    expect(idle.kind).toBe('noActiveJob');
    expect(idle.message).toContain('Nothing is printing');
    const inUse = classifyErrorReply(reply('DELETE', 409, { error: 'Trying to delete a file that is currently in use' }));
    expect(inUse.kind).toBe('conflict');
    expect(inUse.message).toContain('currently in use');
  });

  it('404 (captured /api/webcams), 415, 429', () => {
    const webcams = pick(samples1, 'rest', 'webcams') as { status: number; body: unknown };
    expect(classifyErrorReply(reply('GET', webcams.status, webcams.body)).kind).toBe('notFound');
    expect(
      classifyErrorReply(reply('POST', 415, { error: 'Could not upload file, invalid type' })).kind,
    ).toBe('unsupportedFileType');
    expect(classifyErrorReply(reply('POST', 429, '')).kind).toBe('rateLimited');
  });

  it('5xx, including an HTML proxy page whose text is not shown', () => {
    const error = classifyErrorReply(
      reply('GET', 503, '<html><body>503 Service Unavailable</body></html>'),
    );
    expect(error).toMatchObject({ kind: 'serverError', serverMessage: null });
    expect(classifyErrorReply(reply('GET', 500, { error: 'boom' })).message).toContain('500');
    expect(classifyErrorReply(reply('POST', 501, '')).message).toMatch(/starting/);
  });

  it('unusual statuses stay recognisable', () => {
    expect(classifyErrorReply(reply('GET', 405, 'Method Not Allowed')).kind).toBe(
      'unexpectedStatus',
    );
  });

  it('maps to the contract error codes', () => {
    expect(toRpcError(classifyErrorReply(reply('GET', 403, ''))).code).toBe('AUTH_REQUIRED');
    expect(toRpcError(classifyErrorReply(reply('GET', 409, ''))).detail).toBe(
      'octoprint.notOperational',
    );
  });
});

describe('readJsonReply / readCommandReply', () => {
  it('parses a 200 with the schema', () => {
    const result = readJsonReply(
      reply('GET', 200, pick(samples1, 'rest', 'version')),
      VersionResponse,
    );
    expect(result).toEqual({
      ok: true,
      value: { api: '0.1', server: '1.11.8', text: 'OctoPrint 1.11.8' },
    });
  });

  it('malformed JSON is a typed error, not an exception', () => {
    const result = readJsonReply(reply('GET', 200, '{"api": "0.1",'), VersionResponse);
    expect(result).toMatchObject({ ok: false, error: { kind: 'malformedResponse', status: 200 } });
  });

  it('a wrong shape names the field', () => {
    const result = readJsonReply(reply('GET', 200, { api: 1 }), VersionResponse);
    if (result.ok) throw new Error('should fail');
    expect(result.error.kind).toBe('unexpectedShape');
    expect(result.error.message).toContain('api');
  });

  it('error statuses are classified before any parsing', () => {
    expect(
      readJsonReply(reply('GET', 409, { error: 'Printer is not operational' }), VersionResponse),
    ).toMatchObject({
      ok: false,
      error: { kind: 'notOperational' },
    });
  });

  it('commands accept 204 with an empty body', () => {
    expect(readCommandReply(reply('POST', 204, ''))).toEqual({ ok: true, value: undefined });
    expect(readCommandReply(reply('POST', 400, { error: 'CSRF validation failed' }))).toMatchObject(
      { ok: false, error: { kind: 'keyInvalid' } },
    );
  });
});

describe('file and job conflicts keep their own words', () => {
  it('deleting a file in use', () => {
    const error = classifyErrorReply(
      reply('DELETE', 409, { error: 'Trying to delete a file that is currently in use' }),
    );
    expect(error.kind).toBe('conflict');
    expect(error.serverMessage).toBe('Trying to delete a file that is currently in use');
  });

  it('starting while Finishing', () => {
    const error = classifyErrorReply(
      reply('POST', 409, {
        error: "Printer already has an active print job, did you mean 'restart'?",
      }),
    );
    expect(error.kind).toBe('conflict');
  });
});
