import { TcpTransport, type TcpTarget } from './tcp-transport';
import { XyzTransportError } from './transport';

/** How one command's answer is read: return a value to finish, undefined to keep reading. */
export interface ChannelExchange<T> {
  onData(chunk: Uint8Array, send: (bytes: Uint8Array) => Promise<void>): T | undefined;
  /** The printer closed the connection; return a value if what arrived is enough. */
  onEnd?(): T | undefined;
}

/**
 * One TCP connection per command, for the 1.1 Plus JSON protocol: it closes the connection after
 * every reply, so each exchange connects, writes, reads its answer and closes.
 */
export class TcpCommandChannel {
  readonly description: string;

  constructor(
    private readonly target: TcpTarget,
    private readonly connectTimeoutMs?: number,
  ) {
    this.description = `tcp ${target.host}:${target.port}`;
  }

  async exchange<T>(request: Uint8Array, exchange: ChannelExchange<T>, timeoutMs: number, signal?: AbortSignal): Promise<T> {
    const transport = new TcpTransport(this.target, this.connectTimeoutMs);
    await transport.open();
    try {
      return await new Promise<T>((resolve, reject) => {
        let done = false;
        const finish = (fn: () => void): void => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          fn();
        };
        const timer = setTimeout(
          () => finish(() => reject(new XyzTransportError('timeout', `${this.description} did not answer within ${timeoutMs / 1000} s.`))),
          timeoutMs,
        );
        const onAbort = (): void => finish(() => reject(new XyzTransportError('closed', 'Cancelled.')));
        signal?.addEventListener('abort', onAbort, { once: true });
        const send = (bytes: Uint8Array): Promise<void> => transport.write(bytes);
        transport.onData((chunk) => {
          if (done) return;
          try {
            const value = exchange.onData(chunk, send);
            if (value !== undefined) finish(() => resolve(value));
          } catch (err) {
            finish(() => reject(err instanceof Error ? err : new Error(String(err))));
          }
        });
        transport.onClose((error) => {
          const value = exchange.onEnd?.();
          if (value !== undefined) finish(() => resolve(value));
          else finish(() => reject(error ?? new XyzTransportError('closed', `${this.description} closed the connection before answering.`)));
        });
        transport.write(request).catch((err: unknown) => finish(() => reject(err)));
      });
    } finally {
      await transport.close();
    }
  }
}
