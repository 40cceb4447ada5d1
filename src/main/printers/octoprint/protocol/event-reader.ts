import type { z } from 'zod';
import { describeIssues } from './replies';
import { KnownEventPayloads, type KnownEventName } from './schemas/events';
import type { EventEnvelope } from './schemas/push';

export type KnownEvent = {
  [N in KnownEventName]: { name: N; payload: z.output<(typeof KnownEventPayloads)[N]> };
}[KnownEventName];

export type ReadEvent =
  | ({ kind: 'known' } & KnownEvent)
  /** Plugin or future events: pass on or ignore, never fail. */
  | { kind: 'other'; name: string; payload: unknown }
  | { kind: 'invalid'; name: KnownEventName; reason: string };

function isKnownEventName(name: string): name is KnownEventName {
  return Object.prototype.hasOwnProperty.call(KnownEventPayloads, name);
}

/** Types the payload of an `event` message when its name is one the connector reacts to. */
export function readEvent(envelope: EventEnvelope): ReadEvent {
  const { type: name, payload } = envelope;
  if (!isKnownEventName(name)) return { kind: 'other', name, payload };
  const schema: z.ZodType = KnownEventPayloads[name];
  const parsed = schema.safeParse(payload);
  if (!parsed.success) return { kind: 'invalid', name, reason: describeIssues(parsed.error) };
  // The table pairs each name with its schema, so the payload matches the name.
  return { kind: 'known', name, payload: parsed.data } as ReadEvent;
}
