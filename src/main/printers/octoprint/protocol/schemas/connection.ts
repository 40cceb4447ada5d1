import { z } from 'zod';

/** `GET /api/connection`. `port`/`baudrate` are null while closed [verified]. */
export const ConnectionResponse = z.object({
  current: z.object({
    /** "Closed" | "Operational" | "Printing" | ... (the same words as `state.text`, plus "Closed"). */
    state: z.string(),
    port: z.string().nullable(),
    baudrate: z.number().nullable(),
    printerProfile: z.string().nullish(),
  }),
  options: z.object({
    ports: z.array(z.string()),
    baudrates: z.array(z.number()),
    printerProfiles: z.array(z.object({ id: z.string(), name: z.string().nullish() })).optional(),
    portPreference: z.string().nullish(),
    baudratePreference: z.number().nullish(),
    printerProfilePreference: z.string().nullish(),
    autoconnect: z.boolean().nullish(),
  }),
});
export type ConnectionResponse = z.infer<typeof ConnectionResponse>;

/**
 * `POST /api/connection` -> 204. Omitted port/baudrate mean "saved preference or auto-detect";
 * an unknown port or baudrate is 400 "port is invalid" [verified]. 204 only means "started".
 */
export const ConnectionCommand = z.discriminatedUnion('command', [
  z.object({
    command: z.literal('connect'),
    port: z.string().min(1).optional(),
    baudrate: z.int().positive().optional(),
    printerProfile: z.string().min(1).optional(),
    save: z.boolean().optional(),
    autoconnect: z.boolean().optional(),
  }),
  z.object({ command: z.literal('disconnect') }),
  z.object({ command: z.literal('fake_ack') }),
]);
export type ConnectionCommand = z.infer<typeof ConnectionCommand>;
