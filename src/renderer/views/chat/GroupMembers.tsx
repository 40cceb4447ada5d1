import { useState } from 'react';
import type { ChatGroup, ChatOverview } from '../../../shared/contract/chat';
import { chatDisplayName } from '../../../shared/domain/chat-names';
import { api } from '../../api';

/**
 * A group's members, with adding and removing for managers. Every control is a real button or form (keyboard
 * first); a button's name says whom it acts on; what happened, or why not, is said in words beside the list.
 */
export function GroupMembers({ overview, group, onChanged }: { overview: ChatOverview; group: ChatGroup; onChanged: () => void }) {
  const connectionId = overview.account.connectionId;
  const domain = overview.account.me?.domain ?? '';
  const me = `${overview.account.me?.userId ?? ''}@${domain}`;
  const [add, setAdd] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const nameOf = (address: string) => chatDisplayName(address, overview.contacts.find((c) => c.address === address));

  const change = async (what: { add?: string[]; remove?: string[] }, done: string) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    const r = await api().call('chat.groupMembers', { connectionId, groupId: group.groupId, add: what.add ?? [], remove: what.remove ?? [] });
    setBusy(false);
    if (r.ok) setNotice(done);
    else setError(r.error.message);
    onChanged();
    return r.ok;
  };

  const submitAdd = async () => {
    const addresses = add.split(/[\s,]+/).filter(Boolean).map((a) => (a.includes('@') ? a : `${a}@${domain}`));
    if (addresses.length === 0) return;
    const already = addresses.filter((a) => group.members.some((m) => m.address === a));
    if (already.length > 0) {
      setNotice(null);
      setError(`${already.map(nameOf).join(', ')} ${already.length === 1 ? 'is' : 'are'} already in the group.`);
      return;
    }
    if (await change({ add: addresses }, `Added ${addresses.map(nameOf).join(', ')}. They can read what is sent from now on, not earlier messages.`)) setAdd('');
  };

  return (
    <section aria-labelledby="chat-group-members-title">
      <h4 id="chat-group-members-title">Members ({group.members.length})</h4>
      <ul className="chat-list">
        {group.members.map((m) => (
          <li key={m.address} className="chat-row small">
            <span title={m.address}>{nameOf(m.address)}{m.address === me ? ' (you)' : ''}{m.manager ? ' (manager)' : ''}</span>
            {group.active && group.amManager && m.address !== me && (
              <>
                <button
                  type="button"
                  className="small-button"
                  disabled={busy}
                  aria-label={`Remove ${nameOf(m.address)} from the group`}
                  onClick={() => void change({ remove: [m.address] }, `Removed ${nameOf(m.address)}. New messages use a fresh key they do not have.`)}
                >
                  Remove
                </button>
                {!m.manager && (
                  <button
                    type="button"
                    className="small-button"
                    disabled={busy}
                    aria-label={`Make ${nameOf(m.address)} a manager`}
                    onClick={() =>
                      void api()
                        .call('chat.setManagers', { connectionId, groupId: group.groupId, managers: [...group.members.filter((x) => x.manager).map((x) => x.address), m.address] })
                        .then((r) => (r.ok ? onChanged() : setError(r.error.message)))
                    }
                  >
                    Make manager
                  </button>
                )}
              </>
            )}
          </li>
        ))}
      </ul>
      {group.active && group.amManager && (
        <form className="chat-row" onSubmit={(e) => { e.preventDefault(); void submitAdd(); }}>
          <label htmlFor="chat-add-member" className="small">Add member (user id)</label>
          <input id="chat-add-member" value={add} onChange={(e) => setAdd(e.target.value)} required disabled={busy} />
          <button type="submit" className="small-button" disabled={busy}>{busy ? 'Working…' : 'Add'}</button>
        </form>
      )}
      {group.active && !group.amManager && <p className="small muted">Only a manager adds or removes members.</p>}
      <p className="small muted" role="status">{notice ?? ''}</p>
      {error && <p role="alert" className="chat-error">{error}</p>}
    </section>
  );
}
