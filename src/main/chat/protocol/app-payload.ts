import { z } from 'zod';

/**
 * Printdeck's application payload: what goes inside Plaintext.common_msg (1:1) and group ciphertexts.
 * SKISSM leaves this to the app. Layout: uint32 big-endian header length ‖ UTF-8 JSON header ‖ binary body
 * (image bytes), so images travel without base64 inflation. Every field is validated on the way in.
 */

export const MAX_IMAGE_BYTES = 4 * 1024 * 1024;
const MAX_HEADER_BYTES = 64 * 1024;
export const MAX_TEXT_LENGTH = 8000;

const MessageId = z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/);
/** For 1:1 messages the conversation is the peer user (`userId@domain`); for groups the group id. */
const Conversation = z.object({ type: z.enum(['user', 'group']), id: z.string().min(1).max(200) }).strict();

const TextHeader = z
  .object({ v: z.literal(1), kind: z.literal('text'), id: MessageId, conv: Conversation, text: z.string().min(1).max(MAX_TEXT_LENGTH), sentAt: z.number().int() })
  .strict();
const ImageHeader = z
  .object({
    v: z.literal(1),
    kind: z.literal('image'),
    id: MessageId,
    conv: Conversation,
    mime: z.enum(['image/jpeg', 'image/png', 'image/gif', 'image/webp']),
    name: z.string().max(255),
    caption: z.string().max(MAX_TEXT_LENGTH),
    sentAt: z.number().int(),
  })
  .strict();
const ReceiptHeader = z.object({ v: z.literal(1), kind: z.literal('receipt'), ids: z.array(MessageId).min(1).max(200) }).strict();

const Header = z.discriminatedUnion('kind', [TextHeader, ImageHeader, ReceiptHeader]);
export type AppHeader = z.infer<typeof Header>;
export type AppConversation = z.infer<typeof Conversation>;

export interface AppPayload {
  readonly header: AppHeader;
  readonly body: Uint8Array;
}

export class AppPayloadError extends Error {
  override readonly name = 'AppPayloadError';
}

export function encodeAppPayload(payload: AppPayload): Uint8Array {
  const header = new TextEncoder().encode(JSON.stringify(payload.header));
  if (header.length > MAX_HEADER_BYTES) throw new AppPayloadError('header too large');
  if (payload.body.length > MAX_IMAGE_BYTES) throw new AppPayloadError('image too large');
  const out = new Uint8Array(4 + header.length + payload.body.length);
  new DataView(out.buffer).setUint32(0, header.length);
  out.set(header, 4);
  out.set(payload.body, 4 + header.length);
  return out;
}

const UTF8_STRICT = new TextDecoder('utf-8', { fatal: true });
const MESSAGE_ID = /^[A-Za-z0-9_-]+$/;
const isMessageId = (v: unknown): v is string => typeof v === 'string' && v.length >= 8 && v.length <= 64 && MESSAGE_ID.test(v);
const hasOnlyKeys = (o: object, n: number): boolean => Object.keys(o).length === n;

/**
 * The same checks as `Header` for the two headers every message brings (a text, a receipt), written out: zod
 * costs tens of microseconds a message on the recipient. Anything else, or anything these refuse, goes through
 * zod, which then says what is wrong; so this only decides sooner what zod would accept.
 */
function commonHeader(json: unknown): AppHeader | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const h = json as Record<string, unknown>;
  if (h.v !== 1) return undefined;
  if (h.kind === 'text') {
    const conv = h.conv as Record<string, unknown> | null | undefined;
    const ok =
      hasOnlyKeys(h, 6) && isMessageId(h.id) &&
      typeof h.text === 'string' && h.text.length >= 1 && h.text.length <= MAX_TEXT_LENGTH &&
      typeof h.sentAt === 'number' && Number.isSafeInteger(h.sentAt) &&
      typeof conv === 'object' && conv !== null && !Array.isArray(conv) && hasOnlyKeys(conv, 2) &&
      (conv.type === 'user' || conv.type === 'group') && typeof conv.id === 'string' && conv.id.length >= 1 && conv.id.length <= 200;
    return ok ? (h as AppHeader) : undefined;
  }
  if (h.kind === 'receipt') {
    const ids = h.ids;
    const ok = hasOnlyKeys(h, 3) && Array.isArray(ids) && ids.length >= 1 && ids.length <= 200 && ids.every(isMessageId);
    return ok ? (h as AppHeader) : undefined;
  }
  return undefined;
}

export function decodeAppPayload(bytes: Uint8Array): AppPayload {
  if (bytes.length < 4) throw new AppPayloadError('payload too short');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  if (headerLength > MAX_HEADER_BYTES || 4 + headerLength > bytes.length) throw new AppPayloadError('bad header length');
  let json: unknown;
  try {
    json = JSON.parse(UTF8_STRICT.decode(bytes.subarray(4, 4 + headerLength)));
  } catch {
    throw new AppPayloadError('header is not JSON');
  }
  let header = commonHeader(json);
  if (!header) {
    const parsed = Header.safeParse(json);
    if (!parsed.success) throw new AppPayloadError(`invalid header: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
    header = parsed.data;
  }
  const body = bytes.slice(4 + headerLength);
  if (body.length > MAX_IMAGE_BYTES) throw new AppPayloadError('image too large');
  if (header.kind !== 'image' && body.length > 0) throw new AppPayloadError('unexpected body');
  if (header.kind === 'image' && body.length === 0) throw new AppPayloadError('image without bytes');
  return { header, body };
}
