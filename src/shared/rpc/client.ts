import {
  calls,
  events,
  isEventName,
  type EventName,
  type MethodName,
  type PayloadOf,
  type RequestOf,
  type ResponseOf,
} from '../contract';
import { fail, type Result } from './result';
import type { EventItem } from './wire';

export type LinkStatus = 'connecting' | 'open' | 'closed';

/** What a transport gives the client: a way to send a call and a stream of event batches. */
export interface ClientTransport {
  /** Sends `{method, payload}` and resolves with the raw result as main sent it. */
  request(method: string, payload: unknown): Promise<unknown>;
  onEvents(listener: (batch: readonly EventItem[]) => void): () => void;
  /** Transports that can drop (WebSocket) report their link; IPC is always open. */
  onStatus?(listener: (status: LinkStatus) => void): () => void;
  status?(): LinkStatus;
}

/** The one client every renderer uses, as `window.printdeck`, whichever transport carries it. */
export interface PrintdeckClient {
  call<M extends MethodName>(method: M, request: RequestOf<M>): Promise<Result<ResponseOf<M>>>;
  on<E extends EventName>(event: E, listener: (payload: PayloadOf<E>) => void): () => void;
  onLinkStatus(listener: (status: LinkStatus) => void): () => void;
  linkStatus(): LinkStatus;
}

type AnyListener = (payload: unknown) => void;

export function createClient(transport: ClientTransport): PrintdeckClient {
  const listeners = new Map<EventName, Set<AnyListener>>();

  transport.onEvents((batch) => {
    for (const item of batch) {
      if (!isEventName(item.name)) continue; // a newer main may send events this renderer does not know
      const set = listeners.get(item.name);
      if (!set || set.size === 0) continue;
      const parsed = events[item.name].payload.safeParse(item.payload);
      if (!parsed.success) {
        console.warn(`printdeck: dropped malformed ${item.name} event`, parsed.error.issues[0]);
        continue;
      }
      for (const listener of set) {
        try {
          listener(parsed.data);
        } catch (err) {
          console.error(`printdeck: ${item.name} listener failed`, err);
        }
      }
    }
  });

  return {
    async call(method, request) {
      let raw: unknown;
      try {
        raw = await transport.request(method, request);
      } catch (err) {
        return fail('UNAVAILABLE', err instanceof Error ? err.message : 'The Printdeck host cannot be reached.');
      }
      return checkResult(method, raw);
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as AnyListener;
      set.add(l);
      return () => {
        set.delete(l);
      };
    },
    onLinkStatus(listener) {
      return transport.onStatus ? transport.onStatus(listener) : () => {};
    },
    linkStatus() {
      return transport.status ? transport.status() : 'open';
    },
  };
}

function checkResult<M extends MethodName>(method: M, raw: unknown): Result<ResponseOf<M>> {
  if (typeof raw !== 'object' || raw === null || !('ok' in raw)) {
    return fail('INTERNAL', `Malformed reply to ${method}.`);
  }
  if (raw.ok === false) {
    const error = (raw as { error?: { code?: unknown; message?: unknown } }).error;
    if (error && typeof error.code === 'string' && typeof error.message === 'string') {
      return raw as Result<never>;
    }
    return fail('INTERNAL', `Malformed error reply to ${method}.`);
  }
  const parsed = calls[method].response.safeParse((raw as { value?: unknown }).value);
  if (!parsed.success) return fail('INTERNAL', `Reply to ${method} does not match the contract.`);
  return { ok: true, value: parsed.data as ResponseOf<M> };
}
