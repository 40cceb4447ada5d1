import { z } from 'zod';

/** `POST /plugin/appkeys/request` (no `/api` prefix). `user` limits who may approve. */
export const AppKeyRequestBody = z.object({
  app: z.string().min(1).max(200),
  user: z.string().min(1).optional(),
});
export type AppKeyRequestBody = z.infer<typeof AppKeyRequestBody>;

/** 201 answer of the request; `Location` header carries the poll URL. */
export const AppKeyRequestResponse = z.object({
  app_token: z.string().min(1),
  auth_dialog: z.string().optional(),
});
export type AppKeyRequestResponse = z.infer<typeof AppKeyRequestResponse>;

/** 202 while the user has not decided. */
export const AppKeyPendingResponse = z.object({ message: z.string().optional() });

/** 200 once approved; the key is handed out only once (the next poll is 404). */
export const AppKeyGrantedResponse = z.object({ api_key: z.string().min(1) });
export type AppKeyGrantedResponse = z.infer<typeof AppKeyGrantedResponse>;

/** `POST /plugin/appkeys/decision/<user_token>` — used by a UI that approves in-app. */
export const AppKeyDecisionBody = z.object({ decision: z.boolean() });

/**
 * `GET /api/plugin/appkeys`. Docs say `pending` is a list; 1.11.8 sends an object keyed by
 * user_token [verified], so both are accepted.
 */
const PendingAppKey = z.object({
  app_id: z.string(),
  user_id: z.string().nullish(),
  user_token: z.string(),
  remote_address: z.string().nullish(),
});
export const AppKeysListResponse = z.object({
  keys: z.array(z.object({ app_id: z.string(), user_id: z.string().nullish() })),
  pending: z.union([z.record(z.string(), PendingAppKey), z.array(PendingAppKey)]).optional(),
});
export type AppKeysListResponse = z.infer<typeof AppKeysListResponse>;
