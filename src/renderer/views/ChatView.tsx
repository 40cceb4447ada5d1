import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { api } from '../api';
import { EmptyState } from '../components/EmptyState';
import { ProgressBar } from '../components/ProgressBar';
import { useAppStore } from '../stores/app-store';
import { subscribeChat, useChatStore } from './chat/chat-store';
import { Conversation } from './chat/Conversation';
import { Sidebar } from './chat/Sidebar';
import { SignIn } from './chat/SignIn';

const STATUS_LABEL = { signedOut: 'Signed out', connecting: 'Connecting…', online: 'Online', offline: 'Offline — messages wait in the outbox' } as const;

export function ChatView() {
  const navigate = useAppStore((s) => s.navigate);
  const { accounts, connectionId, overview, selected, catchUp } = useChatStore(
    useShallow((s) => ({ accounts: s.accounts, connectionId: s.connectionId, overview: s.overview, selected: s.selected, catchUp: s.connectionId ? (s.catchUp[s.connectionId] ?? null) : null })),
  );

  useEffect(() => subscribeChat(), []);

  if (accounts.length === 0) {
    return (
      <section aria-labelledby="chat-title">
        <h1 id="chat-title">Chat</h1>
        <EmptyState
          title="No chat server"
          actions={
            <button type="button" className="primary" onClick={() => navigate('settings')}>
              Add a chat server
            </button>
          }
        >
          <p>Team chat is end-to-end encrypted: add a Skiserver connection in Settings (or start the demo fleet), then sign up with the code sent to your email.</p>
        </EmptyState>
      </section>
    );
  }

  const account = overview?.account ?? accounts.find((a) => a.connectionId === connectionId) ?? null;
  return (
    <section aria-labelledby="chat-title" className="chat-view">
      <div className="section-head">
        <h1 id="chat-title">Chat</h1>
        <div className="chat-row">
          {accounts.length > 1 && (
            <label className="small">
              Server{' '}
              <select value={connectionId ?? ''} onChange={(e) => useChatStore.getState().selectAccount(e.target.value)}>
                {accounts.map((a) => (
                  <option key={a.connectionId} value={a.connectionId}>{a.name}</option>
                ))}
              </select>
            </label>
          )}
          {account && (
            <span className={`chat-status chat-status-${account.status}`} role="status">
              {account.me ? `${account.me.userName} (${account.me.userId}) · ` : ''}{STATUS_LABEL[account.status]}
              {overview && overview.outbox > 0 ? ` · ${overview.outbox} queued` : ''}
            </span>
          )}
          {account?.me && (
            <button type="button" className="small-button" onClick={() => void api().call('chat.signOut', { connectionId: account.connectionId }).then(() => useChatStore.getState().loadAccounts())}>
              Sign out
            </button>
          )}
        </div>
      </div>
      {catchUp && (
        <div className="chat-catchup" role="status">
          <span className="small">Receiving messages sent while this device was offline: {catchUp.stored.toLocaleString()} stored, {catchUp.waiting.toLocaleString()} waiting</span>
          <ProgressBar value={catchUp.stored / (catchUp.stored + catchUp.waiting)} label="Catching up on messages" />
        </div>
      )}
      {account && !account.me && <SignIn account={account} />}
      {account?.me && overview && (
        <div className="chat-layout">
          <Sidebar overview={overview} />
          {selected ? (
            <Conversation key={`${selected.type}:${selected.id}`} overview={overview} conversation={selected} />
          ) : (
            <p className="muted chat-placeholder">Choose a conversation, or start one with a user id.</p>
          )}
        </div>
      )}
    </section>
  );
}
