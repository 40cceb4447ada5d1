import { useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ChatOverview } from '../../../shared/contract/chat';
import { chatDisplayName } from '../../../shared/domain/chat-names';
import { api } from '../../api';
import { useConnectionsStore } from '../../stores/connections-store';
import { convKey, useChatStore } from './chat-store';

/** The user id the demo fleet's sandbox chat server registers its teammate under (sim/skiserver/demo-bot.ts). */
export const DEMO_TEAMMATE_ID = 'teammate';

/** Conversations with unread counts, contact requests, and starting a chat or a group. */
export function Sidebar({ overview }: { overview: ChatOverview }) {
  const { selected, select, refresh } = useChatStore(useShallow((s) => ({ selected: s.selected, select: s.select, refresh: s.refresh })));
  const connectionId = overview.account.connectionId;
  const [query, setQuery] = useState('');
  const [groupName, setGroupName] = useState('');
  const [groupMembers, setGroupMembers] = useState('');
  const [error, setError] = useState<string | null>(null);
  const requests = overview.contacts.filter((c) => c.relation === 'incoming');
  const demo = useConnectionsStore((s) => s.connections.find((c) => c.id === connectionId)?.origin === 'demo');

  const start = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const r = await api().call('chat.findUser', { connectionId, query });
    if (!r.ok) return setError(r.error.message);
    if (!r.value) return setError(`No user "${query}" on this server.`);
    await api().call('chat.friend', { connectionId, address: r.value.address, action: 'add' });
    setQuery('');
    await refresh();
    await select({ type: 'user', id: r.value.address });
  };

  const createGroup = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const members = groupMembers.split(/[\s,]+/).filter(Boolean).map((m) => (m.includes('@') ? m : `${m}@${overview.account.me?.domain ?? ''}`));
    const r = await api().call('chat.createGroup', { connectionId, name: groupName, members });
    if (!r.ok) return setError(r.error.message);
    setGroupName('');
    setGroupMembers('');
    await refresh();
    await select({ type: 'group', id: r.value.groupId });
  };

  return (
    <aside className="chat-sidebar" aria-label="Conversations">
      <form onSubmit={(e) => void start(e)} className="chat-form">
        <label htmlFor="chat-find">New chat (user id or email)</label>
        <div className="chat-row">
          <input id="chat-find" value={query} onChange={(e) => setQuery(e.target.value)} required />
          <button type="submit">Start</button>
        </div>
      </form>
      {requests.length > 0 && (
        <section aria-labelledby="chat-requests-title">
          <h3 id="chat-requests-title">Contact requests</h3>
          <ul className="chat-list">
            {requests.map((c) => (
              <li key={c.address} className="chat-row">
                <span title={c.address}>{chatDisplayName(c.address, c)}</span>
                <button type="button" className="small-button" onClick={() => void api().call('chat.friend', { connectionId, address: c.address, action: 'accept' }).then(refresh)}>Accept</button>
                <button type="button" className="small-button" onClick={() => void api().call('chat.friend', { connectionId, address: c.address, action: 'block' }).then(refresh)}>Block</button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <h3>Conversations</h3>
      {overview.conversations.length === 0 && selected === null && <p className="muted small">No conversations yet.</p>}
      {demo && (
        <p className="small demo-hint" role="note">
          Demo server: start a chat with the demo teammate, user id <code>{DEMO_TEAMMATE_ID}</code>. Sam answers every message.
        </p>
      )}
      <ul className="chat-list" role="list">
        {overview.conversations.map((c) => {
          const active = selected !== null && convKey(selected) === convKey(c.conversation);
          return (
            <li key={convKey(c.conversation)}>
              <button type="button" className={`chat-conv${active ? ' chat-conv-active' : ''}`} aria-current={active ? 'true' : undefined} onClick={() => void select(c.conversation)}>
                <span className="chat-conv-title">{c.conversation.type === 'group' ? '# ' : ''}{c.title}</span>
                {c.unread > 0 && <span className="chat-unread" aria-label={`${c.unread} unread`}>{c.unread}</span>}
                {c.last && <span className="chat-conv-last muted small">{c.last.kind === 'image' ? '🖼 image' : c.last.text.slice(0, 40)}</span>}
              </button>
            </li>
          );
        })}
      </ul>
      <details className="chat-details">
        <summary>New group</summary>
        <form onSubmit={(e) => void createGroup(e)} className="chat-form">
          <label htmlFor="chat-group-name">Group name</label>
          <input id="chat-group-name" value={groupName} onChange={(e) => setGroupName(e.target.value)} required />
          <label htmlFor="chat-group-members">Members (user ids, comma separated)</label>
          <input id="chat-group-members" value={groupMembers} onChange={(e) => setGroupMembers(e.target.value)} />
          <button type="submit">Create group</button>
        </form>
      </details>
      <details className="chat-details">
        <summary>Contacts ({overview.contacts.length})</summary>
        <ul className="chat-list">
          {overview.contacts.map((c) => (
            <li key={c.address}>
              <button type="button" className="chat-conv" onClick={() => void select({ type: 'user', id: c.address })}>
                {chatDisplayName(c.address, c)} <span className="muted small">{c.relation}{c.blocked ? ', blocked' : ''}{c.verified ? ', verified' : ''}</span>
              </button>
            </li>
          ))}
        </ul>
      </details>
      <details className="chat-details">
        <summary>This account's devices ({overview.devices.length})</summary>
        <ul className="chat-list">
          {overview.devices.map((d) => (
            <li key={d.deviceId} className="mono small">{d.deviceId}{d.current ? ' (this device)' : ''}</li>
          ))}
        </ul>
      </details>
      {error && <p role="alert" className="chat-error">{error}</p>}
    </aside>
  );
}
