import { z } from 'zod';

/**
 * `POST /api/login` with the API key header. Must be POST: `GET /api/login` is 405 on 1.11.8
 * although the docs' sequence diagram shows a GET [verified].
 */
export const PassiveLoginRequest = z.object({ passive: z.literal(true) });
export type PassiveLoginRequest = z.infer<typeof PassiveLoginRequest>;

/**
 * The user record. Only `name` and `session` are needed (socket auth is `name:session`);
 * the rest is informational and may change shape between versions.
 */
export const LoginResponse = z.object({
  name: z.string().min(1),
  session: z.string().min(1),
  active: z.boolean().optional(),
  admin: z.boolean().optional(),
  user: z.boolean().optional(),
  groups: z.array(z.unknown()).optional(),
  roles: z.array(z.string()).optional(),
  /** The user's own key; may be null. Never needed by the connector, never logged. */
  apikey: z.string().nullish(),
  _login_mechanism: z.string().optional(),
  _is_external_client: z.boolean().optional(),
  _credentials_seen: z.string().nullish(),
});
export type LoginResponse = z.infer<typeof LoginResponse>;
