import { z } from 'zod';
import { DeviceStatus } from '../domain/device';
import { Ack, AppInfo, AppNotification, Empty } from './app';
import { Connection, ConnectionInput, ConnectionUpdate } from './connections';
import { call, event, type CallSpec, type EventSpec } from './define';
import { DemoFault, DemoState } from './demo';

const Id = z.string().min(1).max(128);

/**
 * Every call the renderer (or a WebSocket client) can make, declared once.
 * Naming: `namespace.verb`. Main validates each request against `request` before any service sees it.
 */
export const calls = {
  'app.info': call(Empty, AppInfo),

  'connections.list': call(Empty, z.array(Connection)),
  'connections.add': call(ConnectionInput, Connection),
  'connections.update': call(ConnectionUpdate, Connection),
  'connections.remove': call(z.object({ id: Id }).strict(), Ack),

  'devices.list': call(Empty, z.array(DeviceStatus)),

  'demo.start': call(Empty, DemoState, { timeoutMs: 60_000 }),
  'demo.stop': call(Empty, DemoState, { timeoutMs: 60_000 }),
  'demo.state': call(Empty, DemoState),
  'demo.inject': call(z.object({ simulatorId: Id, fault: DemoFault }).strict(), DemoState),

  'notifications.list': call(Empty, z.array(AppNotification)),
} satisfies Record<string, CallSpec>;

/** Every main → client event, declared once. */
export const events = {
  'connections.changed': event(z.object({ connections: z.array(Connection) })),
  'devices.status': event(DeviceStatus, { coalesceKey: (s) => s.deviceId }),
  'devices.removed': event(z.object({ deviceId: Id })),
  'demo.changed': event(DemoState),
  'app.notification': event(AppNotification),
} satisfies Record<string, EventSpec>;

export type Calls = typeof calls;
export type Events = typeof events;
export type MethodName = keyof Calls;
export type EventName = keyof Events;
export type RequestOf<M extends MethodName> = z.input<Calls[M]['request']>;
export type ParsedRequestOf<M extends MethodName> = z.output<Calls[M]['request']>;
export type ResponseOf<M extends MethodName> = z.infer<Calls[M]['response']>;
export type PayloadOf<E extends EventName> = z.infer<Events[E]['payload']>;

export const METHOD_NAMES = Object.keys(calls) as MethodName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(calls, name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

export * from './app';
export * from './connections';
export * from './demo';
export * from '../domain/device';
