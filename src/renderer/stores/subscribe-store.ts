import type { EventName, PayloadOf } from '../../shared/contract';
import type { LinkStatus } from '../../shared/rpc/client';
import { api } from '../api';

export type EventHandlers = { [E in EventName]?: (payload: PayloadOf<E>) => void };

export interface StoreSubscription {
  /** What each contract event does to the store. */
  events: EventHandlers;
  /**
   * Re-reads what the store shows from main: now if the link is open, and every time it opens
   * again, since events sent while it was down (e.g. after the host closed a slow client) are lost.
   * Left out only by a listener with nothing to go stale (a progress stream).
   */
  reload?(): Promise<void> | void;
  /** Hears every link status change (before a reload). */
  onLink?(status: LinkStatus): void;
}

/** The one way a store (or a view's own state) follows main: its events, and a full reload after every reconnect. Returns the unsubscribe. */
export function subscribeStore(subscription: StoreSubscription): () => void {
  const client = api();
  const offs = Object.entries(subscription.events).map(([event, handler]) =>
    client.on(event as EventName, handler as (payload: PayloadOf<EventName>) => void),
  );
  offs.push(
    client.onLinkStatus((status) => {
      subscription.onLink?.(status);
      if (status === 'open') void subscription.reload?.();
    }),
  );
  subscription.onLink?.(client.linkStatus());
  if (client.linkStatus() === 'open') void subscription.reload?.();
  return () => offs.forEach((off) => off());
}
