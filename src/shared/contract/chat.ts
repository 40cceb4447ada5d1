import { z } from 'zod';
import { Ack, Empty } from './app';
import { base64Field } from './base64';
import { call, event } from './define';

/**
 * The chat surface of the contract (end-to-end encrypted team chat over a Skiserver connection). Nothing
 * here ever carries a key, a token or a ratchet state: only the user's own messages and public identities.
 */

const ConnectionId = z.string().min(1).max(64);
/** `userId@domain`. */
const UserAddress = z.string().min(3).max(200).regex(/^[^@\s]+@[^@\s]+$/);
const GroupId = z.string().min(1).max(64);
const MessageId = z.string().min(8).max(64);
const Conversation = z.object({ type: z.enum(['user', 'group']), id: z.string().min(1).max(200) }).strict();
export type ChatConversationRef = z.infer<typeof Conversation>;

export const ChatStatus = z.enum(['signedOut', 'connecting', 'online', 'offline']);

export const ChatMe = z.object({
  userId: z.string(),
  domain: z.string(),
  deviceId: z.string(),
  userName: z.string(),
  authenticator: z.string(),
  privacy: z.object({ allowAttention: z.boolean(), allowGreeting: z.boolean(), allowAutoFriend: z.boolean() }),
});

export const ChatAccount = z.object({
  connectionId: ConnectionId,
  name: z.string(),
  address: z.string(),
  demo: z.boolean(),
  status: ChatStatus,
  me: ChatMe.nullable(),
});
export type ChatAccount = z.infer<typeof ChatAccount>;

export const ChatMessage = z.object({
  id: z.string(),
  conversation: Conversation,
  sender: z.string(),
  direction: z.enum(['in', 'out']),
  kind: z.enum(['text', 'image']),
  text: z.string(),
  mime: z.string().nullable(),
  imageBytes: z.number().int(),
  state: z.enum(['sending', 'sent', 'delivered', 'failed', 'received']),
  sentAt: z.number(),
  createdAt: z.number(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

export const ChatContact = z.object({
  address: z.string(),
  nickname: z.string(),
  memo: z.string(),
  /** none, requested (we asked), friend, incoming (they asked). */
  relation: z.enum(['none', 'requested', 'friend', 'incoming']),
  blocked: z.boolean(),
  verified: z.boolean(),
});
export type ChatContact = z.infer<typeof ChatContact>;

export const ChatGroup = z.object({
  groupId: z.string(),
  name: z.string(),
  members: z.array(z.object({ address: z.string(), manager: z.boolean() })),
  active: z.boolean(),
  amManager: z.boolean(),
});
export type ChatGroup = z.infer<typeof ChatGroup>;

export const ChatConversation = z.object({
  conversation: Conversation,
  title: z.string(),
  unread: z.number().int(),
  last: ChatMessage.nullable(),
});
export type ChatConversation = z.infer<typeof ChatConversation>;

export const ChatOverview = z.object({
  account: ChatAccount,
  conversations: z.array(ChatConversation),
  contacts: z.array(ChatContact),
  groups: z.array(ChatGroup),
  devices: z.array(z.object({ deviceId: z.string(), current: z.boolean() })),
  outbox: z.number().int(),
});
export type ChatOverview = z.infer<typeof ChatOverview>;

const WithConnection = { connectionId: ConnectionId };
const ImageMime = z.enum(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);
/** Browser uploads go through the WebSocket in chunks below its 1 MiB frame limit. */
export const CHAT_IMAGE_CHUNK_BYTES = 512 * 1024;
export const CHAT_MAX_IMAGE_BYTES = 4 * 1024 * 1024;

export const chatCalls = {
  'chat.accounts': call(Empty, z.array(ChatAccount)),
  'chat.requestCode': call(
    z.object({ ...WithConnection, email: z.string().trim().email().max(200) }).strict(),
    z.object({ ttlSeconds: z.number().int(), demoCode: z.string().nullable() }),
  ),
  'chat.register': call(
    z
      .object({
        ...WithConnection,
        email: z.string().trim().email().max(200),
        userId: z.string().trim().regex(/^[a-z0-9][a-z0-9._-]{2,31}$/, 'user ids are 3-32 characters: a-z, 0-9, . _ -'),
        userName: z.string().trim().min(1).max(64),
        code: z.string().trim().regex(/^\d{6}$/, 'the code has 6 digits'),
      })
      .strict(),
    ChatAccount,
    { timeoutMs: 60_000 },
  ),
  'chat.signOut': call(z.object(WithConnection).strict(), Ack),
  'chat.overview': call(z.object(WithConnection).strict(), ChatOverview),
  'chat.messages': call(
    z.object({ ...WithConnection, conversation: Conversation, before: z.number().int().optional(), limit: z.number().int().min(1).max(200).default(50) }).strict(),
    z.array(ChatMessage),
  ),
  'chat.markRead': call(z.object({ ...WithConnection, conversation: Conversation }).strict(), Ack),
  'chat.send': call(z.object({ ...WithConnection, conversation: Conversation, text: z.string().trim().min(1).max(8000) }).strict(), ChatMessage),
  'chat.stageImage': call(
    z
      .object({
        ...WithConnection,
        uploadId: z.string().max(64).optional(),
        offset: z.number().int().nonnegative().max(CHAT_MAX_IMAGE_BYTES),
        dataBase64: base64Field(Math.ceil(CHAT_IMAGE_CHUNK_BYTES / 3) * 4 + 4),
      })
      .strict(),
    z.object({ uploadId: z.string(), received: z.number().int() }),
  ),
  'chat.sendImage': call(
    z.object({ ...WithConnection, conversation: Conversation, uploadId: z.string().min(1).max(64), mime: ImageMime, name: z.string().max(255), caption: z.string().max(8000).default('') }).strict(),
    ChatMessage,
    { timeoutMs: 60_000 },
  ),
  'chat.sendSnapshot': call(
    z.object({ ...WithConnection, conversation: Conversation, deviceId: z.string().min(1).max(128), caption: z.string().max(8000).default('') }).strict(),
    ChatMessage,
    { timeoutMs: 60_000 },
  ),
  'chat.imageChunk': call(
    z.object({ ...WithConnection, messageId: MessageId, offset: z.number().int().nonnegative() }).strict(),
    z.object({ mime: z.string(), total: z.number().int(), dataBase64: z.string() }),
  ),
  'chat.retry': call(z.object({ ...WithConnection, messageId: MessageId }).strict(), ChatMessage),
  'chat.findUser': call(
    z.object({ ...WithConnection, query: z.string().trim().min(1).max(200) }).strict(),
    z.object({ address: z.string(), nickname: z.string() }).nullable(),
  ),
  'chat.friend': call(
    z.object({ ...WithConnection, address: UserAddress, action: z.enum(['add', 'accept', 'remove', 'block', 'unblock']) }).strict(),
    Ack,
  ),
  'chat.memo': call(z.object({ ...WithConnection, address: UserAddress, memo: z.string().max(12) }).strict(), Ack),
  'chat.privacy': call(
    z.object({ ...WithConnection, allowAttention: z.boolean(), allowGreeting: z.boolean(), allowAutoFriend: z.boolean() }).strict(),
    Ack,
  ),
  'chat.safety': call(
    z.object({ ...WithConnection, address: UserAddress }).strict(),
    z.object({ address: z.string(), verified: z.boolean(), devices: z.array(z.object({ deviceId: z.string(), fingerprint: z.string() })) }),
  ),
  'chat.setVerified': call(z.object({ ...WithConnection, address: UserAddress, verified: z.boolean() }).strict(), Ack),
  'chat.createGroup': call(
    z.object({ ...WithConnection, name: z.string().trim().min(1).max(64), members: z.array(UserAddress).max(100) }).strict(),
    ChatGroup,
  ),
  'chat.groupMembers': call(
    z.object({ ...WithConnection, groupId: GroupId, add: z.array(UserAddress).max(100).default([]), remove: z.array(UserAddress).max(100).default([]) }).strict(),
    ChatGroup,
  ),
  'chat.renameGroup': call(z.object({ ...WithConnection, groupId: GroupId, name: z.string().trim().min(1).max(64) }).strict(), ChatGroup),
  'chat.setManagers': call(z.object({ ...WithConnection, groupId: GroupId, managers: z.array(UserAddress).min(1).max(100) }).strict(), ChatGroup),
  'chat.leaveGroup': call(z.object({ ...WithConnection, groupId: GroupId }).strict(), Ack),
};

export const chatEvents = {
  /** Something in an account changed (contacts, groups, status…): refetch `chat.overview`. Coalesced per account. */
  'chat.changed': event(z.object({ connectionId: z.string(), status: ChatStatus }), { coalesceKey: (p) => p.connectionId }),
  /** New or updated messages, batched per account (never coalesced: every message counts). */
  'chat.messages': event(z.object({ connectionId: z.string(), messages: z.array(ChatMessage).max(500) })),
  /**
   * Catching up on a backlog (e.g. back online after a weekend): messages stored so far in this run and
   * those received but not yet stored. `waiting: 0` ends it. Coalesced per account (only the latest counts).
   */
  'chat.progress': event(z.object({ connectionId: z.string(), stored: z.number().int().nonnegative(), waiting: z.number().int().nonnegative() }), {
    coalesceKey: (p) => p.connectionId,
  }),
};
