import { z } from 'zod';
import { call, event } from './define';

export const TransportKind = z.enum(['ipc', 'websocket']);

export const SecretsBackend = z.object({
  kind: z.enum(['safeStorage', 'keyFile']),
  /** Set when secrets are stored with weak protection, e.g. Linux without a keyring (`basic_text`). */
  warning: z.string().max(1000).nullable(),
});
export type SecretsBackend = z.infer<typeof SecretsBackend>;

export const AppInfo = z.object({
  name: z.literal('Printdeck'),
  version: z.string().max(64),
  transport: TransportKind,
  platform: z.string().max(32),
  secrets: SecretsBackend,
  demoAvailable: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const NotificationLevel = z.enum(['info', 'success', 'warning', 'error']);
export const AppNotification = z.object({
  id: z.string().max(64),
  level: NotificationLevel,
  title: z.string().max(200),
  body: z.string().max(2000),
  /** Where a click should take the user, e.g. `devices/<id>`. */
  route: z.string().max(200).nullable(),
  at: z.number().int(),
  /** The printer it is about, for filtering the notification centre. */
  deviceId: z.string().max(128).nullable().default(null),
  read: z.boolean().default(false),
});
export type AppNotification = z.infer<typeof AppNotification>;

/** What the notification centre lists: newest first, optionally one printer's or some levels only. */
export const NotificationQuery = z
  .object({
    deviceId: z.string().min(1).max(128).optional(),
    levels: z.array(NotificationLevel).max(4).optional(),
    unreadOnly: z.boolean().optional(),
    /** Only notifications older than this (ms since the epoch), to page back. */
    before: z.number().int().optional(),
    /** Only notifications from this time on (ms since the epoch): with `before`, one day. */
    since: z.number().int().optional(),
    limit: z.number().int().min(1).max(500).optional(),
  })
  .strict();
export type NotificationQuery = z.infer<typeof NotificationQuery>;
const Unread = z.object({ unread: z.number().int().nonnegative() });

export const Empty = z.object({}).strict();
export const Ack = z.object({ done: z.literal(true) });

export const appCalls = {
  'app.info': call(Empty, AppInfo),
  'notifications.list': call(NotificationQuery, z.array(AppNotification)),
  'notifications.unread': call(Empty, Unread),
  /** Marks these notifications read, or all of them. */
  'notifications.markRead': call(z.union([z.object({ ids: z.array(z.string().max(64)).min(1).max(500) }).strict(), z.object({ all: z.literal(true) }).strict()]), Unread),
};

export const appEvents = {
  'app.notification': event(AppNotification),
  /** The unread count changed (a notification came, or some were read elsewhere). */
  'notifications.changed': event(Unread),
};
