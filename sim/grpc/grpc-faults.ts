import {
  status,
  type Metadata,
  type sendUnaryData,
  type ServerErrorResponse,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';

/** Faults a sandbox gRPC server applies to calls before they reach the service implementation. */
export class GrpcFaults {
  delayMs = 0;
  /** The next N calls fail with UNAVAILABLE, like a cloud service in a bad minute. */
  unavailableBurst = 0;

  describe(): string[] {
    const out: string[] = [];
    if (this.delayMs > 0) out.push(`slow calls ${this.delayMs} ms`);
    if (this.unavailableBurst > 0) out.push(`UNAVAILABLE for ${this.unavailableBurst} more calls`);
    return out;
  }

  clear(): void {
    this.delayMs = 0;
    this.unavailableBurst = 0;
  }

  /** Wraps every method of `impl` so the faults apply to unary, streaming and bidi calls alike. */
  wrap(definition: ServiceDefinition, impl: UntypedServiceImplementation): UntypedServiceImplementation {
    const wrapped: UntypedServiceImplementation = {};
    for (const [name, method] of Object.entries(definition)) {
      const handler = impl[name];
      if (typeof handler !== 'function') continue;
      const fn = handler as (...args: unknown[]) => unknown;
      if (!method.requestStream && !method.responseStream) {
        wrapped[name] = (call: unknown, callback: sendUnaryData<unknown>) => {
          this.gate()
            .then(() => fn(call, callback))
            .catch((err: unknown) => callback(err as ServerErrorResponse));
        };
      } else if (method.requestStream && !method.responseStream) {
        wrapped[name] = (call: unknown, callback: sendUnaryData<unknown>) => {
          this.gate()
            .then(() => fn(call, callback))
            .catch((err: unknown) => callback(err as ServerErrorResponse));
        };
      } else {
        wrapped[name] = (call: { emit(event: 'error', err: unknown): void; destroy?(err?: Error): void }) => {
          this.gate()
            .then(() => fn(call))
            .catch((err: unknown) => call.emit('error', err));
        };
      }
    }
    return wrapped;
  }

  private async gate(): Promise<void> {
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.unavailableBurst > 0) {
      this.unavailableBurst -= 1;
      throw Object.assign(new Error('sandbox: injected UNAVAILABLE'), {
        code: status.UNAVAILABLE,
        details: 'sandbox: injected UNAVAILABLE',
        metadata: undefined as Metadata | undefined,
      });
    }
  }
}
