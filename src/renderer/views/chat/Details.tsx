import { useEffect, useState } from 'react';
import type { ChatConversationRef, ChatOverview } from '../../../shared/contract/chat';
import { api } from '../../api';
import { chatDisplayName } from '../../../shared/domain/chat-names';
import { useChatStore } from './chat-store';
import { GroupMembers } from './GroupMembers';
import { SafetyQr } from './SafetyQr';

/** Contact details with the safety numbers, or group management. */
export function Details({ overview, conversation }: { overview: ChatOverview; conversation: ChatConversationRef }) {
  return conversation.type === 'user' ? <ContactDetails overview={overview} address={conversation.id} /> : <GroupDetails overview={overview} groupId={conversation.id} />;
}

function ContactDetails({ overview, address }: { overview: ChatOverview; address: string }) {
  const connectionId = overview.account.connectionId;
  const refresh = useChatStore((s) => s.refresh);
  const contact = overview.contacts.find((c) => c.address === address);
  const [safety, setSafety] = useState<{ deviceId: string; fingerprint: string }[] | null>(null);
  const [memo, setMemo] = useState(contact?.memo ?? '');
  const [error, setError] = useState<string | null>(null);
  // Ticked at once (the box follows the hand, as check() expects), then confirmed by main's answer.
  const stored = contact?.verified ?? false;
  const [verified, setVerified] = useState(stored);
  useEffect(() => setVerified(stored), [stored]);
  const markVerified = async (value: boolean) => {
    setVerified(value);
    const r = await api().call('chat.setVerified', { connectionId, address, verified: value });
    if (!r.ok) {
      setVerified(!value);
      setError(r.error.message);
    }
    await refresh();
  };
  useEffect(() => {
    setSafety(null);
    void api()
      .call('chat.safety', { connectionId, address })
      .then((r) => (r.ok ? setSafety(r.value.devices) : setError(r.error.message)));
  }, [connectionId, address]);
  const act = async (action: 'add' | 'remove' | 'block' | 'unblock') => {
    const r = await api().call('chat.friend', { connectionId, address, action });
    if (!r.ok) setError(r.error.message);
    await refresh();
  };
  return (
    <aside className="chat-details-panel" aria-labelledby="chat-contact-title">
      <h3 id="chat-contact-title">{chatDisplayName(address, contact)}</h3>
      <p className="small muted">{address} · {contact?.relation ?? 'not a contact'}{contact?.blocked ? ' · blocked' : ''}</p>
      <section aria-labelledby="chat-safety-title">
        <h4 id="chat-safety-title">Safety numbers</h4>
        <p className="small muted">Compare these with {chatDisplayName(address, contact)} in person or on a call, or scan the code on their screen. If they match, nobody is in the middle.</p>
        {safety === null ? <p className="small muted">Computing…</p> : safety.length === 0 ? <p className="small muted">No devices known yet.</p> : (
          <ul className="chat-list">
            {safety.map((s) => (
              <li key={s.deviceId}>
                <span className="small muted">Device {s.deviceId.slice(0, 8)}</span>
                <code className="chat-fingerprint" aria-label={`Safety number for device ${s.deviceId}`}>{s.fingerprint}</code>
                <SafetyQr address={address} deviceId={s.deviceId} fingerprint={s.fingerprint} />
              </li>
            ))}
          </ul>
        )}
        {/* The label stays the same whichever way it is ticked (a name that changes on toggle breaks
            assistive tech and Playwright's check()); the state is said beside it. */}
        <label className="chat-row small">
          <input type="checkbox" checked={verified} onChange={(e) => void markVerified(e.target.checked)} />
          I compared the safety numbers and they match
        </label>
        <p className="small muted" role="status">
          {verified ? 'Verified: you compared the numbers.' : 'Not verified yet.'}
        </p>
      </section>
      <div className="chat-row">
        {contact?.relation !== 'friend' && <button type="button" onClick={() => void act('add')}>{contact?.relation === 'incoming' ? 'Accept request' : 'Add contact'}</button>}
        {contact?.relation === 'friend' && <button type="button" onClick={() => void act('remove')}>Remove contact</button>}
        <button type="button" onClick={() => void act(contact?.blocked ? 'unblock' : 'block')}>{contact?.blocked ? 'Unblock' : 'Block'}</button>
      </div>
      <form className="chat-row" onSubmit={(e) => { e.preventDefault(); void api().call('chat.memo', { connectionId, address, memo }).then((r) => (r.ok ? refresh() : setError(r.error.message))); }}>
        <label htmlFor="chat-memo" className="small">Memo name</label>
        <input id="chat-memo" maxLength={12} value={memo} onChange={(e) => setMemo(e.target.value)} />
        <button type="submit" className="small-button">Save</button>
      </form>
      {error && <p role="alert" className="chat-error">{error}</p>}
    </aside>
  );
}

function GroupDetails({ overview, groupId }: { overview: ChatOverview; groupId: string }) {
  const connectionId = overview.account.connectionId;
  const refresh = useChatStore((s) => s.refresh);
  const select = useChatStore((s) => s.select);
  const group = overview.groups.find((g) => g.groupId === groupId);
  const [name, setName] = useState(group?.name ?? '');
  const [error, setError] = useState<string | null>(null);
  if (!group) return null;
  const done = (r: { ok: boolean; error?: { message: string } }) => {
    if (!r.ok) setError(r.error?.message ?? 'failed');
    void refresh();
  };
  return (
    <aside className="chat-details-panel" aria-labelledby="chat-group-title">
      <h3 id="chat-group-title">{group.name}</h3>
      {!group.active && <p className="small muted">You are no longer a member of this group.</p>}
      <GroupMembers overview={overview} group={group} onChanged={() => void refresh()} />
      {group.active && (
        <>
          <form className="chat-row" onSubmit={(e) => { e.preventDefault(); void api().call('chat.renameGroup', { connectionId, groupId, name }).then(done); }}>
            <label htmlFor="chat-group-rename" className="small">Name</label>
            <input id="chat-group-rename" value={name} onChange={(e) => setName(e.target.value)} required maxLength={64} />
            <button type="submit" className="small-button">Rename</button>
          </form>
          <button type="button" onClick={() => void api().call('chat.leaveGroup', { connectionId, groupId }).then((r) => { done(r); void select(null); })}>Leave group</button>
        </>
      )}
      <p className="small muted">Every group message is signed by its sender's device and encrypted with a key only members hold.</p>
      {error && <p role="alert" className="chat-error">{error}</p>}
    </aside>
  );
}
