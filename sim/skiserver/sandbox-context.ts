import { randomBytes } from 'node:crypto';
import { Metadata, status, type sendUnaryData, type ServerUnaryCall, type UntypedServiceImplementation } from '@grpc/grpc-js';
import type { E2eeAddress } from '../../src/main/gen/skissm/common';
import type { SandboxDelivery } from './sandbox-delivery';
import type { SandboxMeter } from './sandbox-meter';
import type { SandboxSigner } from './sandbox-signer';
import type { DeviceRecord, SandboxState, UserRecord } from './sandbox-state';

/** What every sandbox service part shares, and the plumbing from grpc-js calls to plain handlers. */
export interface SandboxContext {
  state: SandboxState;
  delivery: SandboxDelivery;
  signer: SandboxSigner;
  /** Auth token lifetime; the client logs in again (with its password) after it. */
  authTtlMs: number;
  meter: SandboxMeter;
}

export interface Caller {
  user: UserRecord;
  device: DeviceRecord;
  address: E2eeAddress;
}

export class SandboxRpcError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
  }
}

export function token(): string {
  return randomBytes(24).toString('base64url');
}

export function deviceAddressOf(ctx: SandboxContext, userId: string, deviceId: string): E2eeAddress {
  return { domain: ctx.state.domain, peer: { $case: 'user', value: { userName: '', userId, deviceId } } };
}

/** The authenticated device behind `authorization: Bearer <auth>`, or null. */
export function callerOf(ctx: SandboxContext, metadata: Metadata, header: string): Caller | null {
  const raw = metadata.get(header)[0];
  if (typeof raw !== 'string') return null;
  const match = /^Bearer\s+(.+)$/i.exec(raw.trim());
  const session = match?.[1] ? ctx.state.tokens.get(match[1]) : undefined;
  if (!session || session.expiresAt < Date.now()) return null;
  const user = ctx.state.users.get(session.userId);
  const device = user?.devices.get(session.deviceId);
  if (!user || !device) return null;
  return { user, device, address: deviceAddressOf(ctx, user.userId, device.deviceId) };
}

export type UnaryHandler = (request: never, caller: Caller | null) => unknown;

/**
 * Turns `{ methodName: handler }` into a grpc-js implementation. Methods listed in `open` run without a
 * token; every other one answers UNAUTHENTICATED without a valid one. Handler errors become gRPC statuses.
 */
export function unaryImpl(
  ctx: SandboxContext,
  handlers: Record<string, UnaryHandler>,
  open: ReadonlySet<string>,
  header: string,
): UntypedServiceImplementation {
  const impl: UntypedServiceImplementation = {};
  for (const [name, handler] of Object.entries(handlers)) {
    impl[name] = (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
      const caller = callerOf(ctx, call.metadata, header);
      if (!caller && !open.has(name)) {
        callback({ code: status.UNAUTHENTICATED, details: 'missing or expired auth token' });
        return;
      }
      Promise.resolve()
        .then(() => ctx.meter.measure(() => handler(call.request as never, caller)))
        .then(
          (response) => callback(null, response),
          (err: unknown) => {
            if (err instanceof SandboxRpcError) callback({ code: err.code, details: err.message });
            else {
              ctx.state.log(`ERROR ${name}: ${err instanceof Error ? err.message : String(err)}`);
              callback({ code: status.INTERNAL, details: 'sandbox internal error' });
            }
          },
        );
    };
  }
  return impl;
}
