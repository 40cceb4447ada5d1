import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { EmptyState } from '../components/EmptyState';
import { useAppStore } from '../stores/app-store';
import { useConnectionsStore } from '../stores/connections-store';
import { AccountPanel } from './cloud/AccountPanel';
import { subscribeCloud, useCloudStore } from './cloud/cloud-store';

export function CloudView() {
  const navigate = useAppStore((s) => s.navigate);
  const connectionIds = useConnectionsStore(useShallow((s) => s.connections.filter((c) => c.kind === 'armory').map((c) => c.id)));
  const accounts = useCloudStore(useShallow((s) => connectionIds.flatMap((id) => (s.accounts[id] ? [s.accounts[id]] : []))));
  const loaded = useCloudStore((s) => s.loaded);

  useEffect(() => subscribeCloud(), []);

  return (
    <section aria-labelledby="cloud-title" className="cloud">
      <h1 id="cloud-title">Cloud</h1>
      {connectionIds.length === 0 ? (
        <EmptyState
          title="No cloud account"
          actions={
            <button type="button" className="primary" onClick={() => navigate('settings')}>
              Add a cloud account
            </button>
          }
        >
          <p>Add your Armory cloud account in Settings to see its printers beside your local ones, with print history and messages.</p>
        </EmptyState>
      ) : !loaded ? (
        <p className="muted">Loading…</p>
      ) : (
        accounts.map((a) => <AccountPanel key={a.connectionId} account={a} />)
      )}
    </section>
  );
}
