import type { z } from 'zod';
import type { HttpReply } from '../../links/http-reply';
import { classifyErrorReply, type OctoPrintError } from './errors';

export type ProtocolResult<T> = { ok: true; value: T } | { ok: false; error: OctoPrintError };

const isSuccess = (status: number): boolean => status >= 200 && status <= 299;

/** Short, stable description of zod issues for logs (never contains field values). */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

/**
 * Reads a reply that should carry JSON of the given shape. Any 2xx with a body is parsed;
 * other statuses become typed errors.
 */
export function readJsonReply<S extends z.ZodType>(
  reply: HttpReply,
  schema: S,
): ProtocolResult<z.output<S>> {
  if (!isSuccess(reply.status)) return { ok: false, error: classifyErrorReply(reply) };
  let json: unknown;
  try {
    json = JSON.parse(reply.body);
  } catch {
    return {
      ok: false,
      error: {
        kind: 'malformedResponse',
        status: reply.status,
        message: 'OctoPrint sent a reply that is not valid JSON.',
        serverMessage: null,
      },
    };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      error: {
        kind: 'unexpectedShape',
        status: reply.status,
        message: `OctoPrint's reply did not have the expected shape (${describeIssues(parsed.error)}).`,
        serverMessage: null,
      },
    };
  }
  return { ok: true, value: parsed.data };
}

/** Reads the reply of a command that answers 204 (any 2xx is accepted; the body is ignored). */
export function readCommandReply(reply: HttpReply): ProtocolResult<void> {
  if (!isSuccess(reply.status)) return { ok: false, error: classifyErrorReply(reply) };
  return { ok: true, value: undefined };
}

/** Parses JSON text against a schema; null when it is not JSON or not that shape. */
export function parseJsonAs<S extends z.ZodType>(text: string, schema: S): z.output<S> | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : null;
}
