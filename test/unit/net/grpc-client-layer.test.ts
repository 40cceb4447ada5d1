import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { authMetadata, byStatus, callUnary, grpcEndpoint, grpcFailure, withRetries, type UnaryMethod } from '../../../src/main/net/grpc';

function serviceError(code: status, details: string, trailers: Record<string, string> = {}): ServiceError {
  const metadata = new Metadata();
  for (const [k, v] of Object.entries(trailers)) metadata.set(k, v);
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata });
}

describe('grpcEndpoint', () => {
  it('reads TLS and the default port from the scheme', () => {
    expect(grpcEndpoint('grpcs://imss.example.com', 'IMSS')).toMatchObject({ target: 'imss.example.com:443', tls: true });
    expect(grpcEndpoint('grpc://chat.example.com', 'Skiserver')).toMatchObject({ target: 'chat.example.com:80', tls: false });
    expect(grpcEndpoint('grpc://127.0.0.1:5051', 'IMSS')).toMatchObject({ target: '127.0.0.1:5051', tls: false });
  });

  it('refuses other schemes and garbage in words that name the service', () => {
    expect(() => grpcEndpoint('https://x', 'IMSS')).toThrow('IMSS addresses start with grpcs:// (TLS) or grpc:// (plaintext), not https://.');
    expect(() => grpcEndpoint('not a url', 'Skiserver')).toThrow(/"not a url" is not an address for Skiserver/);
  });
});

describe('authMetadata', () => {
  it('sends the token as a bearer, or the server’s own header and scheme, and nothing without one', () => {
    expect(authMetadata('t0k').get('authorization')).toEqual(['Bearer t0k']);
    expect(authMetadata('t0k', { header: 'x-auth', scheme: '' }).get('x-auth')).toEqual(['t0k']);
    expect(authMetadata(null).getMap()).toEqual({});
  });
});

describe('status facts and tables', () => {
  it('gives the status name, bounded details and prefixed trailers', () => {
    const failure = grpcFailure(serviceError(status.FAILED_PRECONDITION, 'x'.repeat(600), { 'imss-error-code': 'E7', other: 'no' }), 500);
    expect(failure.name).toBe('FAILED_PRECONDITION');
    expect(failure.details).toHaveLength(500);
    expect(failure.trailers('imss-')).toEqual({ 'imss-error-code': 'E7' });
  });

  it('maps by the domain’s table and falls back for the rest', () => {
    const table = { [status.UNAVAILABLE]: 'try-later', [status.UNAUTHENTICATED]: 'sign-in' } as const;
    expect(byStatus(status.UNAVAILABLE, table, 'other')).toBe('try-later');
    expect(byStatus(status.DATA_LOSS, table, 'other')).toBe('other');
  });
});

describe('callUnary', () => {
  it('passes metadata and a deadline, resolves the answer and rejects the status as it came', async () => {
    const seen: { deadline?: unknown; auth?: unknown } = {};
    const echo: UnaryMethod<string, string> = (req, md, options, cb) => {
      seen.deadline = options.deadline;
      seen.auth = md.get('authorization')[0];
      if (req === 'fail') cb(serviceError(status.NOT_FOUND, 'no such thing'), '');
      else cb(null, req.toUpperCase());
      return { cancel: () => undefined } as ReturnType<UnaryMethod<string, string>>;
    };
    const before = Date.now();
    await expect(callUnary({}, echo, 'hi', { metadata: authMetadata('k'), deadlineMs: 5_000 })).resolves.toBe('HI');
    expect(seen.deadline).toBeGreaterThanOrEqual(before + 5_000);
    expect(seen.auth).toBe('Bearer k');
    await expect(callUnary({}, echo, 'fail', { metadata: new Metadata(), deadlineMs: 5_000 })).rejects.toMatchObject({ code: status.NOT_FOUND });
  });

  it('cancels the call when the signal aborts', async () => {
    const controller = new AbortController();
    const hanging: UnaryMethod<string, string> = (_req, _md, _options, cb) =>
      ({ cancel: () => cb(serviceError(status.CANCELLED, 'Cancelled on client'), '') }) as ReturnType<UnaryMethod<string, string>>;
    const call = callUnary({}, hanging, 'x', { metadata: new Metadata(), deadlineMs: 60_000, signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: status.CANCELLED });
  });
});

describe('withRetries', () => {
  const backoff = { baseMs: 1, maxMs: 2, jitter: 'none' } as const;
  const isUnavailable = (err: unknown) => (err as ServiceError).code === status.UNAVAILABLE;

  it('retries what may be retried until it succeeds', async () => {
    let attempts = 0;
    const result = await withRetries(
      async () => {
        attempts++;
        if (attempts < 3) throw serviceError(status.UNAVAILABLE, 'down');
        return 'ok';
      },
      { retries: 3, retryOn: isUnavailable, backoff },
    );
    expect({ result, attempts }).toEqual({ result: 'ok', attempts: 3 });
  });

  it('throws the last failure when the retries are used up, and at once for one that may not be retried', async () => {
    const attemptsUntilThrown = async (code: status): Promise<number> => {
      let attempts = 0;
      const failing = () => {
        attempts++;
        return Promise.reject(serviceError(code, 'no'));
      };
      await expect(withRetries(failing, { retries: 2, retryOn: isUnavailable, backoff })).rejects.toMatchObject({ code });
      return attempts;
    };
    expect(await attemptsUntilThrown(status.UNAVAILABLE)).toBe(3);
    expect(await attemptsUntilThrown(status.PERMISSION_DENIED)).toBe(1);
  });

  it('stops retrying once its signal aborted (the client was closed)', async () => {
    const controller = new AbortController();
    let attempts = 0;
    const call = withRetries(
      () => {
        attempts++;
        controller.abort();
        return Promise.reject(serviceError(status.UNAVAILABLE, 'down'));
      },
      { retries: 5, retryOn: isUnavailable, backoff: { baseMs: 60_000, maxMs: 60_000, jitter: 'none' }, signal: controller.signal },
    );
    await expect(call).rejects.toMatchObject({ code: status.UNAVAILABLE });
    expect(attempts).toBe(1);
  });
});
