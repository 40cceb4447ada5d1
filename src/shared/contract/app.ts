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
});
export type AppNotification = z.infer<typeof AppNotification>;

export const Empty = z.object({}).strict();
export const Ack = z.object({ done: z.literal(true) });

export const appCalls = {
  'app.info': call(Empty, AppInfo),
  'notifications.list': call(Empty, z.array(AppNotification)),
};

export const appEvents = {
  'app.notification': event(AppNotification),
};
