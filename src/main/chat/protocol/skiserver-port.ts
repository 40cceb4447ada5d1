import type { E2eeUnaryServiceService } from '../../gen/skiserver/skiserver_service';

/**
 * The protocol engine's view of the server: typed unary calls, nothing about gRPC. The gRPC transport
 * implements it (transport/grpc-port.ts); the engine never imports grpc-js.
 */
type Service = typeof E2eeUnaryServiceService;
export type UnaryMethod = keyof Service;
export type RequestOf<M extends UnaryMethod> = Parameters<Service[M]['requestSerialize']>[0];
export type ResponseOf<M extends UnaryMethod> = ReturnType<Service[M]['responseDeserialize']>;

export type PortErrorKind = 'unavailable' | 'deadline' | 'unauthenticated' | 'rejected' | 'internal';

/** A failed call: `retryable` ones (network, deadline, server restart) go back into the outbox. */
export class PortError extends Error {
  override readonly name = 'PortError';
  constructor(
    readonly kind: PortErrorKind,
    message: string,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.kind === 'unavailable' || this.kind === 'deadline' || this.kind === 'unauthenticated';
  }
}

export interface SkiserverPort {
  call<M extends UnaryMethod>(method: M, request: RequestOf<M>, options?: { timeoutMs?: number }): Promise<ResponseOf<M>>;
  /**
   * The same call with a request already in its wire encoding (as the outbox keeps it): those very bytes are
   * sent, so a queued request is neither decoded nor encoded again, and what leaves is what was recorded.
   */
  callEncoded<M extends UnaryMethod>(method: M, request: Uint8Array, options?: { timeoutMs?: number }): Promise<ResponseOf<M>>;
}
