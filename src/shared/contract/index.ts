import type { z } from 'zod';
import { appCalls, appEvents } from './app';
import { chatCalls, chatEvents } from './chat';
import { cloudCalls, cloudEvents } from './cloud';
import { connectionCalls, connectionEvents } from './connections';
import type { CallSpec, EventSpec } from './define';
import { demoCalls, demoEvents } from './demo';
import { mqttCalls, mqttEvents } from './mqtt';
import { historyCalls, historyEvents } from './history';
import { octoprintCalls, octoprintEvents } from './octoprint';
import { printerCalls, printerEvents } from './printers';
import { queueCalls, queueEvents } from './queue';
import { uploadCalls, uploadEvents } from './uploads';

/**
 * Every call a renderer (or WebSocket client) can make, declared once, per domain in the files
 * beside this one. Naming: `namespace.verb`. Main validates each request before any service sees it.
 */
export const calls = {
  ...appCalls,
  ...connectionCalls,
  ...printerCalls,
  ...octoprintCalls,
  ...demoCalls,
  ...cloudCalls,
  ...chatCalls,
  ...uploadCalls,
  ...mqttCalls,
  ...queueCalls,
  ...historyCalls,
} satisfies Record<string, CallSpec>;

/** Every main → client event, declared once. */
export const events = {
  ...appEvents,
  ...connectionEvents,
  ...printerEvents,
  ...octoprintEvents,
  ...demoEvents,
  ...cloudEvents,
  ...chatEvents,
  ...uploadEvents,
  ...mqttEvents,
  ...queueEvents,
  ...historyEvents,
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
export * from './base64';
export * from './connections';
export * from './mqtt';
export * from './demo';
export * from './printers';
export * from './octoprint';
export * from './cloud';
export * from './chat';
export * from './uploads';
export * from './queue';
export * from './history';
export * from '../domain/device';
export * from '../domain/device-delta';
