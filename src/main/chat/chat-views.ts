import type { ChatContact, ChatGroup, ChatMessage } from '../../shared/contract/chat';
import type { ChatEngine } from './client/chat-engine';
import { sameUser } from './protocol/address';
import type { ContactRow, GroupRow, MessageRow } from './store/chat-store';

/** Store rows → contract shapes. Only what the user may see: never keys, sessions or tokens. */

export function messageView(m: MessageRow): ChatMessage {
  return {
    id: m.id,
    conversation: { type: m.convType, id: m.convId },
    sender: m.sender,
    direction: m.direction,
    kind: m.kind,
    text: m.text,
    mime: m.mime,
    imageBytes: m.imageBytes,
    state: m.state,
    sentAt: m.sentAt,
    createdAt: m.createdAt,
  };
}

const RELATIONS = ['none', 'requested', 'friend', 'incoming'] as const;

export function contactView(c: ContactRow): ChatContact {
  return {
    address: `${c.userId}@${c.domain}`,
    nickname: c.nickname,
    memo: c.memo,
    relation: RELATIONS[c.status] ?? 'none',
    blocked: c.blocked,
    verified: c.verified,
  };
}

export function groupView(engine: ChatEngine, g: GroupRow): ChatGroup {
  return {
    groupId: g.groupId,
    name: g.name,
    members: g.members.map((m) => ({ address: `${m.userId}@${m.domain}`, manager: m.role === 1 })),
    active: g.active,
    amManager: g.members.some((m) => sameUser(m, engine.me) && m.role === 1),
  };
}
