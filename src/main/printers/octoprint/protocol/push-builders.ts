/** Client -> server socket messages. The socket wants them JSON-encoded. */

export interface SocketCredentials {
  /** `name` from the passive login. */
  name: string;
  /** `session` from the passive login; stale after a server restart, so log in before each auth. */
  session: string;
}

export type SubscribeState = boolean | { logs?: boolean | string; messages?: boolean | string };

export interface Subscription {
  /** `true` = logs on, messages off. Switching it on triggers a fresh `history`. */
  state?: SubscribeState;
  /** `true` for all, or a list of event names. */
  events?: boolean | string[];
  /** `true` for all, or a list of plugin ids. */
  plugins?: boolean | string[];
}

export type ClientMessage = { auth: string } | { throttle: number } | { subscribe: Subscription };

/** `{"auth": "name:session"}` — binds the login session to the socket. */
export function authMessage(credentials: SocketCredentials): ClientMessage {
  if (credentials.name === '' || credentials.session === '') {
    throw new RangeError('socket auth needs a user name and a session from a passive login');
  }
  return { auth: `${credentials.name}:${credentials.session}` };
}

/**
 * `{"throttle": n}` — at most one `current` per n × 500 ms. The server silently ignores invalid
 * values, so they are refused here where the mistake can still be seen.
 */
export function throttleMessage(factor: number): ClientMessage {
  if (!Number.isInteger(factor) || factor < 1) {
    throw new RangeError(`throttle must be an integer >= 1, got ${factor}`);
  }
  return { throttle: factor };
}

/**
 * `{"subscribe": {...}}` (OctoPrint >= 1.8). Everything not named is switched off, and each
 * subscribe replaces the previous one; send it before `auth` to have it active from the start.
 */
export function subscribeMessage(subscription: Subscription): ClientMessage {
  return { subscribe: subscription };
}

export function encodeClientMessage(message: ClientMessage): string {
  return JSON.stringify(message);
}
