import { createClient, type ClientTransport, type LinkStatus, type PrintdeckClient } from '../../../src/shared/rpc/client';
import type { EventItem } from '../../../src/shared/rpc/wire';

/** A contract client whose answers the test scripts, to render views without a host. */
export function fakeClient(answers: Record<string, (payload: unknown) => unknown>) {
  const eventListeners = new Set<(b: readonly EventItem[]) => void>();
  const statusListeners = new Set<(s: LinkStatus) => void>();
  let status: LinkStatus = 'open';
  const calls: { method: string; payload: unknown }[] = [];
  const transport: ClientTransport = {
    async request(method, payload) {
      calls.push({ method, payload });
      const answer = answers[method];
      if (!answer) return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `no fake for ${method}` } };
      return { ok: true, value: answer(payload) };
    },
    onEvents: (l) => {
      eventListeners.add(l);
      return () => eventListeners.delete(l);
    },
    onStatus: (l) => {
      statusListeners.add(l);
      return () => statusListeners.delete(l);
    },
    status: () => status,
  };
  const client: PrintdeckClient = createClient(transport);
  return {
    client,
    calls,
    emit: (events: EventItem[]) => eventListeners.forEach((l) => l(events)),
    setStatus(s: LinkStatus) {
      status = s;
      statusListeners.forEach((l) => l(s));
    },
  };
}

export const APP_INFO = {
  name: 'Printdeck',
  version: '0.1.0',
  transport: 'websocket',
  platform: 'linux',
  secrets: { kind: 'keyFile', warning: null },
  demoAvailable: true,
};
