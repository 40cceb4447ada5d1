import { z } from 'zod';
import { RpcErrorShape } from './result';

/** Largest frame either transport accepts; bigger frames are refused before parsing. */
export const MAX_FRAME_BYTES = 1024 * 1024;

/** A call as it travels from a client to main (over IPC or WebSocket). */
export const CallFrame = z.object({
  t: z.literal('call'),
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  method: z.string().min(1).max(128),
  payload: z.unknown(),
});
export type CallFrame = z.infer<typeof CallFrame>;

export const ResultShape = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: RpcErrorShape }),
]);

export const ResultFrame = z.object({
  t: z.literal('result'),
  id: z.number().int().nonnegative(),
  result: ResultShape,
});
export type ResultFrame = z.infer<typeof ResultFrame>;

export const EventItem = z.object({ name: z.string().max(128), payload: z.unknown() });
export type EventItem = z.infer<typeof EventItem>;

/** One tick's worth of events, coalesced; the only way events travel. */
export const EventsFrame = z.object({ t: z.literal('events'), events: z.array(EventItem) });
export type EventsFrame = z.infer<typeof EventsFrame>;

/** First frame a WebSocket client receives after it is accepted. */
export const HelloFrame = z.object({
  t: z.literal('hello'),
  protocol: z.literal(1),
  server: z.string().max(64),
});
export type HelloFrame = z.infer<typeof HelloFrame>;

/** A frame the server could not match to a call (unparseable JSON, no id): said, not silently dropped. */
export const ProtocolErrorFrame = z.object({ t: z.literal('error'), error: RpcErrorShape });
export type ProtocolErrorFrame = z.infer<typeof ProtocolErrorFrame>;

export const ServerFrame = z.discriminatedUnion('t', [ResultFrame, EventsFrame, HelloFrame, ProtocolErrorFrame]);
export type ServerFrame = z.infer<typeof ServerFrame>;
