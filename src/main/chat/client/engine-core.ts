import type { E2eeUnaryServiceService } from '../../gen/skiserver/skiserver_service';
import { E2eeUnaryServiceService as Service } from '../../gen/skiserver/skiserver_service';
import type { Logger } from '../../log';
import { toBase64, type CipherSuite, type RandomSource } from '../crypto';
import type { DeviceRef } from '../protocol/address';
import type { RequestOf, SkiserverPort, UnaryMethod } from '../protocol/skiserver-port';
import type { ChatStore, MessageRow } from '../store/chat-store';
import type { AccountKeys } from './account-keys';

/** What the engine's parts (sessions, groups, inbound, outbox) share for one signed-in device. */
export interface EngineCore {
  readonly store: ChatStore;
  readonly port: SkiserverPort;
  readonly suite: CipherSuite;
  readonly random: RandomSource;
  readonly log: Logger;
  readonly me: DeviceRef;
  userName: string;
  keys: AccountKeys;
  serverKey: Uint8Array;
  /** Wakes the outbox worker. */
  kick(): void;
  messagesChanged(rows: MessageRow[]): void;
  changed(what: ChangeKind): void;
}

export type ChangeKind = 'account' | 'contacts' | 'groups' | 'conversations' | 'devices' | 'status';

/** Outbox entries: a prepared unary request, or a task that needs the network before it can be prepared. */
export type OutboxBody =
  | { type: 'rpc'; method: UnaryMethod; request: string }
  | { type: 'ensureSessions'; userId: string; domain: string; deviceId: string }
  | { type: 'reseedGroup'; groupId: string };

export function rpcBody<M extends UnaryMethod>(method: M, request: RequestOf<M>): OutboxBody {
  const def = (Service as unknown as Record<string, { requestSerialize(v: unknown): Buffer }>)[method];
  if (!def) throw new Error(`unknown method ${method}`);
  return { type: 'rpc', method, request: toBase64(def.requestSerialize(request)) };
}

export function rpcRequest(method: UnaryMethod, encoded: string): unknown {
  const def = (Service as unknown as Record<string, { requestDeserialize(b: Buffer): unknown }>)[method];
  if (!def) throw new Error(`unknown method ${method}`);
  // Not the strict fromBase64: the text comes out of a sealed (authenticated) outbox row of our own, so the
  // canonical-form check, which re-encodes kilobytes per message, cannot find anything.
  return def.requestDeserialize(Buffer.from(encoded, 'base64'));
}

export type ServiceDefinition = typeof E2eeUnaryServiceService;

/** Pseudo session id under which plaintexts wait while a device has no session at all yet. */
export function deviceQueueId(ref: DeviceRef): string {
  return `device:${ref.userId}@${ref.domain}/${ref.deviceId}`;
}

export function newId(random: RandomSource): string {
  return toBase64(random(12)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function isOk(code: number): boolean {
  return code >= 200 && code < 300;
}

/**
 * The server answered a call with a refusal of its own: its ResponseCode is kept, so the API can
 * answer with the matching error code (not found, forbidden, conflict) instead of "unavailable".
 */
export class ServerRefusal extends Error {
  override readonly name = 'ServerRefusal';
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** A refusal in the server's words (its code when it gave none), optionally saying what was asked. */
export function refusal(response: { code: number; msg?: string }, what?: string): ServerRefusal {
  const words = response.msg || `server answered ${response.code}`;
  return new ServerRefusal(response.code, what ? `${what}: ${words}` : words);
}

/** What the caller asked cannot be done as asked (not the server's refusal, not the network). */
export class ChatRequestError extends Error {
  override readonly name = 'ChatRequestError';
  constructor(
    readonly kind: 'invalid' | 'not-found' | 'conflict',
    message: string,
  ) {
    super(message);
  }
}
