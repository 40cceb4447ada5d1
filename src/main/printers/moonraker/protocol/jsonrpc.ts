import { z } from 'zod';

/**
 * JSON-RPC 2.0 as Moonraker speaks it on `/websocket`, bytes-free: text in, typed messages out.
 *
 * - Requests carry named params (an object) and always an id: Moonraker treats a request without
 *   an id as a notification and never answers it, and answers array params with -32602.
 * - Server notifications carry `params` as an array (positional), or none at all.
 * - `result` is often an object and sometimes the bare string "ok".
 */

export const RpcErrorBody = z.object({ code: z.number().int(), message: z.string().max(10_000) });
export type RpcErrorBody = z.infer<typeof RpcErrorBody>;

const Envelope = z.object({
  jsonrpc: z.literal('2.0'),
  id: z.union([z.number(), z.string(), z.null()]).optional(),
  method: z.string().max(200).optional(),
  params: z.unknown().optional(),
  result: z.unknown().optional(),
  error: RpcErrorBody.optional(),
});

export type Incoming =
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number | null; error: RpcErrorBody }
  | { type: 'notification'; method: string; params: unknown[] }
  | { type: 'invalid'; reason: string };

/** Frames larger than this are refused before parsing (a subscribe reply is a few kB). */
export const MAX_FRAME_CHARS = 4 * 1024 * 1024;

export function encodeRequest(id: number, method: string, params?: Record<string, unknown>): string {
  return JSON.stringify(params === undefined ? { jsonrpc: '2.0', method, id } : { jsonrpc: '2.0', method, params, id });
}

export function decodeFrame(text: string): Incoming {
  if (text.length > MAX_FRAME_CHARS) return { type: 'invalid', reason: `frame of ${text.length} characters is too large` };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { type: 'invalid', reason: 'not JSON' };
  }
  const parsed = Envelope.safeParse(raw);
  if (!parsed.success) return { type: 'invalid', reason: 'not a JSON-RPC 2.0 message' };
  const m = parsed.data;
  if (m.method !== undefined && (m.id === undefined || m.id === null)) {
    if (m.params !== undefined && !Array.isArray(m.params)) return { type: 'invalid', reason: `${m.method}: params are not an array` };
    return { type: 'notification', method: m.method, params: (m.params as unknown[] | undefined) ?? [] };
  }
  const id = typeof m.id === 'number' && Number.isSafeInteger(m.id) ? m.id : null;
  if (m.error !== undefined) return { type: 'error', id, error: m.error };
  if (id === null) return { type: 'invalid', reason: 'a reply without a numeric id' };
  if (!('result' in (raw as object))) return { type: 'invalid', reason: 'a reply without result or error' };
  return { type: 'result', id, result: m.result };
}
