import { z } from 'zod';
import { Empty } from './app';
import { call, event } from './define';

/**
 * The cloud surface of the contract: the Armory account (sign-in with a verification code,
 * token state), its print history, its inbox, software updates and camera availability.
 * Cloud printers themselves appear through `devices.*` like every other printer.
 */

const ConnectionId = z.string().min(1).max(64);
/** A cursor is an opaque id (a task or message id as a decimal string). */
const Cursor = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/);
const PageLimit = z.number().int().min(1).max(50);

/**
 * Where an account stands. `expired` means the tokens ran out and could not be refreshed:
 * the user must sign in again (the rest of the app keeps working).
 */
export const CloudAccountState = z.enum(['signed-out', 'code-required', 'signed-in', 'expired']);
export type CloudAccountState = z.infer<typeof CloudAccountState>;

export const CloudAccount = z.object({
  connectionId: ConnectionId,
  name: z.string().max(120),
  address: z.string().max(2048),
  /** The account name (an email or phone number), from the connection's options. */
  account: z.string().max(254).nullable(),
  state: CloudAccountState,
  /** A human sentence for the state, e.g. why the user must sign in again. */
  message: z.string().max(1000).nullable(),
  /** When the access token runs out (ms since the epoch), when signed in. */
  expiresAt: z.number().int().nonnegative().nullable(),
  /** True when a password is saved with the connection, so sign-in needs no typing. */
  passwordSaved: z.boolean(),
  /** Demo connections only: a hint read from the sandbox's outbox (e.g. the emailed code). */
  demoHint: z.string().max(200).nullable(),
  deviceCount: z.number().int().nonnegative(),
  /** The last successful poll of the cloud (ms since the epoch). */
  syncedAt: z.number().int().nonnegative().nullable(),
  /** The last poll failure, shown as a warning while signed in (the cloud may be down). */
  syncProblem: z.string().max(1000).nullable(),
});
export type CloudAccount = z.infer<typeof CloudAccount>;

/** A task or message status code, with the words the UI shows. */
export const CloudTaskStatus = z.object({
  code: z.number().int(),
  label: z.string().max(64),
  /** 'running': the task is still printing (its duration is then the time so far). */
  tone: z.enum(['ok', 'error', 'running', 'unknown']),
});
export type CloudTaskStatus = z.infer<typeof CloudTaskStatus>;

export const CloudTask = z.object({
  id: z.string().max(32),
  title: z.string().max(512),
  /** Opaque handle for `cloud.cover`; null when the task has no picture. */
  coverId: z.string().max(64).nullable(),
  status: CloudTaskStatus,
  startTime: z.string().max(64).nullable(),
  endTime: z.string().max(64).nullable(),
  /** end − start, the real duration (for a running task: the time so far); null when a time is missing. */
  durationSec: z.number().nonnegative().nullable(),
  /** The slicer's estimate (the cloud's cost_time), not what the print took. */
  estimatedSec: z.number().nonnegative().nullable(),
  /** The slicer's estimate in grams. */
  weightGrams: z.number().nonnegative().nullable(),
  devId: z.string().max(128),
  deviceName: z.string().max(200).nullable(),
  mode: z.string().max(64),
});
export type CloudTask = z.infer<typeof CloudTask>;

export const CloudHistoryPage = z.object({
  total: z.number().int().nonnegative(),
  tasks: z.array(CloudTask).max(50),
  /** Pass as `after` for the next page; null at the end. */
  nextCursor: z.string().max(64).nullable(),
});
export type CloudHistoryPage = z.infer<typeof CloudHistoryPage>;

export const CloudMessage = z.object({
  id: z.string().max(32),
  type: z.number().int(),
  typeLabel: z.string().max(64),
  createdAt: z.string().max(64).nullable(),
  task: z
    .object({
      id: z.string().max(32),
      title: z.string().max(512),
      coverId: z.string().max(64).nullable(),
      status: CloudTaskStatus,
      devId: z.string().max(128),
      deviceName: z.string().max(200).nullable(),
    })
    .nullable(),
  from: z.string().max(200).nullable(),
});
export type CloudMessage = z.infer<typeof CloudMessage>;

export const CloudMessagePage = z.object({
  messages: z.array(CloudMessage).max(50),
  nextCursor: z.string().max(64).nullable(),
});
export type CloudMessagePage = z.infer<typeof CloudMessagePage>;

export const CloudUpdate = z.object({
  /** `software` for the slicer itself, else the resource type (e.g. slicer/plugins/cloud). */
  type: z.string().max(200),
  version: z.string().max(64),
  description: z.string().max(4000),
  /** An http(s) download link, or null when the cloud sent something else. */
  url: z.string().max(2048).nullable(),
  forceUpdate: z.boolean(),
});
export type CloudUpdate = z.infer<typeof CloudUpdate>;

export const CloudCamera = z.object({
  available: z.boolean(),
  /** Why the picture cannot be shown here, in words. */
  explanation: z.string().max(1000),
});
export type CloudCamera = z.infer<typeof CloudCamera>;

const ForConnection = z.object({ connectionId: ConnectionId }).strict();

export const cloudCalls = {
  'cloud.accounts': call(Empty, z.array(CloudAccount).max(100)),
  /** Signs in with account + password (the saved one when `password` is absent). */
  'cloud.signIn': call(
    z
      .object({
        connectionId: ConnectionId,
        account: z.string().trim().min(1, 'the account is required').max(254),
        password: z.string().min(1).max(256).optional(),
      })
      .strict(),
    CloudAccount,
    { timeoutMs: 45_000 },
  ),
  /** Finishes a sign-in that answered `code-required`, with the code from the email or SMS. */
  'cloud.submitCode': call(
    z
      .object({ connectionId: ConnectionId, code: z.string().trim().regex(/^[0-9A-Za-z]{4,12}$/, 'the code is 4 to 12 letters or digits') })
      .strict(),
    CloudAccount,
    { timeoutMs: 45_000 },
  ),
  'cloud.signOut': call(ForConnection, CloudAccount),
  /** A manual refresh: devices and print status with `force`, then the inbox. */
  'cloud.refresh': call(ForConnection, CloudAccount, { timeoutMs: 45_000 }),
  'cloud.history': call(
    z
      .object({
        connectionId: ConnectionId,
        /** A printer's serial (dev_id) to see only its tasks. */
        devId: z.string().min(1).max(128).optional(),
        after: Cursor.optional(),
        limit: PageLimit.default(20),
      })
      .strict(),
    CloudHistoryPage,
    { timeoutMs: 45_000 },
  ),
  'cloud.messages': call(
    z.object({ connectionId: ConnectionId, after: Cursor.optional(), limit: PageLimit.default(20) }).strict(),
    CloudMessagePage,
    { timeoutMs: 45_000 },
  ),
  /** A task or message picture, fetched and cached by main, as a data: URL (null when unavailable). */
  'cloud.cover': call(
    z.object({ connectionId: ConnectionId, coverId: z.string().regex(/^[0-9a-f]{16,64}$/) }).strict(),
    z.object({ dataUrl: z.string().max(1_000_000).nullable() }),
    { timeoutMs: 20_000 },
  ),
  'cloud.updates': call(ForConnection, z.object({ updates: z.array(CloudUpdate).max(100) }), { timeoutMs: 45_000 }),
  'cloud.camera': call(z.object({ connectionId: ConnectionId, devId: z.string().min(1).max(128) }).strict(), CloudCamera, {
    timeoutMs: 45_000,
  }),
};

export const cloudEvents = {
  'cloud.account': event(CloudAccount, { coalesceKey: (a) => `cloud.account:${a.connectionId}` }),
  /** New inbox messages since the last poll, newest first. */
  'cloud.inbox': event(z.object({ connectionId: ConnectionId, messages: z.array(CloudMessage).max(50) })),
};
