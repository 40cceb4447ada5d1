import { EmptyState } from '../components/EmptyState';
import { useAppStore } from '../stores/app-store';
import { useShallow } from 'zustand/react/shallow';
import { useConnectionsStore } from '../stores/connections-store';

export function CloudView() {
  const navigate = useAppStore((s) => s.navigate);
  const accounts = useConnectionsStore(useShallow((s) => s.connections.filter((c) => c.kind === 'armory')));
  return (
    <section aria-labelledby="cloud-title">
      <h1 id="cloud-title">Cloud</h1>
      {accounts.length === 0 ? (
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
      ) : (
        <ul className="plain-list">
          {accounts.map((a) => (
            <li key={a.id}>
              <strong>{a.name}</strong> <span className="muted">{a.address}</span> — sign-in arrives with the cloud client.
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
