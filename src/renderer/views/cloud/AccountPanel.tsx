import { useId, useState } from 'react';
import type { CloudAccount } from '../../../shared/contract';
import { api } from '../../api';
import { useAppStore } from '../../stores/app-store';
import { useCloudStore } from './cloud-store';
import { HistoryPanel } from './HistoryPanel';
import { InboxPanel } from './InboxPanel';
import { PrintersPanel } from './PrintersPanel';
import { SignInPanel } from './SignInPanel';
import { UpdatesPanel } from './UpdatesPanel';

type Tab = 'printers' | 'history' | 'inbox' | 'updates';
const TABS: { tab: Tab; label: string }[] = [
  { tab: 'printers', label: 'Printers' },
  { tab: 'history', label: 'History' },
  { tab: 'inbox', label: 'Inbox' },
  { tab: 'updates', label: 'Slicer downloads' },
];

const STATE_TEXT: Record<CloudAccount['state'], string> = {
  'signed-out': 'Signed out',
  'code-required': 'Waiting for the code',
  'signed-in': 'Signed in',
  expired: 'Sign in again',
};

/** One cloud account: its sign-in state, and once signed in its printers, history, inbox and updates. */
export function AccountPanel({ account }: { account: CloudAccount }) {
  const id = useId();
  const [tab, setTab] = useState<Tab>('printers');
  const [busy, setBusy] = useState<'refresh' | 'signOut' | null>(null);
  const errorToast = useAppStore((s) => s.errorToast);
  const apply = useCloudStore((s) => s.apply);
  const freshCount = useCloudStore((s) => s.fresh[account.connectionId]?.length ?? 0);

  const act = async (kind: 'refresh' | 'signOut') => {
    setBusy(kind);
    const r = await api().call(kind === 'refresh' ? 'cloud.refresh' : 'cloud.signOut', { connectionId: account.connectionId });
    setBusy(null);
    if (r.ok) apply(r.value);
    else errorToast(kind === 'refresh' ? 'Refreshing the cloud account failed' : 'Signing out failed', r.error);
  };

  const signedIn = account.state === 'signed-in';
  return (
    <article className="panel cloud-account" aria-labelledby={`${id}-name`}>
      <header className="section-head">
        <div>
          <h2 id={`${id}-name`}>{account.name}</h2>
          <span className="muted small">
            {[account.account, account.address, signedIn ? `${account.deviceCount} printer${account.deviceCount === 1 ? '' : 's'}` : null]
              .filter(Boolean)
              .join(' · ')}
          </span>
        </div>
        <div className="row-actions">
          <span className={`pill cloud-state-${account.state}`}>{STATE_TEXT[account.state]}</span>
          {signedIn && (
            <>
              <button type="button" onClick={() => void act('refresh')} disabled={busy !== null}>
                {busy === 'refresh' ? 'Refreshing…' : 'Refresh'}
              </button>
              <button type="button" onClick={() => void act('signOut')} disabled={busy !== null}>
                Sign out
              </button>
            </>
          )}
        </div>
      </header>
      {signedIn && account.syncProblem && (
        <p className="banner-warning cloud-sync" role="status">
          The cloud did not answer the last update: {account.syncProblem}
        </p>
      )}
      {signedIn && account.expiresAt && (
        <p className="muted small">Signed in until {new Date(account.expiresAt).toLocaleDateString()}; the sign-in is renewed before then.</p>
      )}
      {!signedIn ? (
        <SignInPanel account={account} />
      ) : (
        <>
          <div role="tablist" aria-label={`${account.name} sections`} className="cloud-tabs">
            {TABS.map((t) => (
              <button
                key={t.tab}
                type="button"
                role="tab"
                id={`${id}-tab-${t.tab}`}
                aria-selected={tab === t.tab}
                aria-controls={`${id}-panel`}
                tabIndex={tab === t.tab ? 0 : -1}
                onClick={() => setTab(t.tab)}
                onKeyDown={(e) => {
                  const i = TABS.findIndex((x) => x.tab === tab);
                  const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
                  if (!step) return;
                  const next = TABS[(i + step + TABS.length) % TABS.length];
                  if (next) {
                    setTab(next.tab);
                    document.getElementById(`${id}-tab-${next.tab}`)?.focus();
                  }
                }}
              >
                {t.label}
                {t.tab === 'inbox' && freshCount > 0 ? ` (${freshCount} new)` : ''}
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${tab}`}>
            {tab === 'printers' && <PrintersPanel connectionId={account.connectionId} />}
            {tab === 'history' && <HistoryPanel connectionId={account.connectionId} />}
            {tab === 'inbox' && <InboxPanel connectionId={account.connectionId} />}
            {tab === 'updates' && <UpdatesPanel connectionId={account.connectionId} />}
          </div>
        </>
      )}
    </article>
  );
}
