import { z } from 'zod';

/** `GET /api/version` — also the cheapest "is this key valid?" check. */
export const VersionResponse = z.object({
  api: z.string(),
  server: z.string(),
  text: z.string().optional(),
});
export type VersionResponse = z.infer<typeof VersionResponse>;

/** `GET /api/server`. `safemode` says why third-party plugins are disabled this run. */
export const ServerResponse = z.object({
  version: z.string(),
  safemode: z.string().nullable().optional(),
});
export type ServerResponse = z.infer<typeof ServerResponse>;

/** `GET /api/currentuser` — which permissions the key acts with. */
export const CurrentUserResponse = z.object({
  name: z.string().nullable(),
  permissions: z.array(z.union([z.string(), z.object({ key: z.string() })])).optional(),
  groups: z.array(z.union([z.string(), z.object({ key: z.string() })])).optional(),
});
export type CurrentUserResponse = z.infer<typeof CurrentUserResponse>;
