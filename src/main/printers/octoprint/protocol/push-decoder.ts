import type { z } from 'zod';
import { describeIssues } from './replies';
import {
  ConnectedPayload,
  CurrentPayload,
  EventEnvelope,
  PluginPayload,
  ReauthRequiredPayload,
  SlicingProgressPayload,
  TimelapsePayload,
} from './schemas/push';

/** Message types this decoder understands; everything else is `unknown` and ignored. */
export type KnownPushType =
  | 'connected'
  | 'history'
  | 'current'
  | 'event'
  | 'reauthRequired'
  | 'plugin'
  | 'slicingProgress'
  | 'timelapse';

export type PushMessage =
  | { type: 'connected'; payload: ConnectedPayload }
  | { type: 'history'; payload: CurrentPayload }
  | { type: 'current'; payload: CurrentPayload }
  | { type: 'event'; payload: EventEnvelope }
  | { type: 'reauthRequired'; payload: ReauthRequiredPayload }
  | { type: 'plugin'; payload: PluginPayload }
  | { type: 'slicingProgress'; payload: SlicingProgressPayload }
  | { type: 'timelapse'; payload: TimelapsePayload }
  /** Not a message this client knows (new server type, plugin, odd frame): ignore it. */
  | { type: 'unknown'; key: string | null }
  /** A known type whose payload is broken, or text that is not JSON. */
  | { type: 'invalid'; messageType: KnownPushType | null; reason: string };

const PAYLOAD_SCHEMAS: { readonly [K in KnownPushType]: z.ZodType } = {
  connected: ConnectedPayload,
  history: CurrentPayload,
  current: CurrentPayload,
  event: EventEnvelope,
  reauthRequired: ReauthRequiredPayload,
  plugin: PluginPayload,
  slicingProgress: SlicingProgressPayload,
  timelapse: TimelapsePayload,
};

function isKnownType(key: string): key is KnownPushType {
  // Own-property check: a frame keyed "__proto__" or "toString" must not match anything.
  return Object.prototype.hasOwnProperty.call(PAYLOAD_SCHEMAS, key);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Decodes one server -> client socket message. Accepts the object sockjs-client hands over or
 * the JSON text of a raw WebSocket frame. Never throws: unknown types come back as `unknown`,
 * broken payloads of known types as `invalid`.
 */
export function decodePushMessage(raw: unknown): PushMessage {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return { type: 'invalid', messageType: null, reason: 'frame is not valid JSON' };
    }
  }
  if (!isPlainObject(value)) return { type: 'unknown', key: null };

  // OctoPrint sends exactly one key per message; anything else is not a message we know.
  const keys = Object.keys(value);
  const key = keys.length === 1 ? keys[0] : undefined;
  if (key === undefined) return { type: 'unknown', key: null };
  if (!isKnownType(key)) return { type: 'unknown', key };

  const parsed = PAYLOAD_SCHEMAS[key].safeParse(value[key]);
  if (!parsed.success) {
    return { type: 'invalid', messageType: key, reason: describeIssues(parsed.error) };
  }
  // The schema table above pairs each key with its payload schema, so the cast is sound.
  return { type: key, payload: parsed.data } as PushMessage;
}
