import { useEffect, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { EmptyState } from '../components/EmptyState';
import { useAppStore } from '../stores/app-store';
import { useConnectionsStore } from '../stores/connections-store';
import { JobsPanel } from './uploads/JobsPanel';
import { SessionPanel } from './uploads/SessionPanel';
import { SessionsList } from './uploads/SessionsList';
import { StoragePanel } from './uploads/StoragePanel';
import { useUploadsStore } from './uploads/uploads-store';

export function UploadsView() {
  const navigate = useAppStore((s) => s.navigate);
  const connections = useConnectionsStore((s) => s.connections);
  const servers = useMemo(() => connections.filter((c) => c.kind === 'imss').map((c) => ({ id: c.id, name: c.name })), [connections]);
  const loaded = useConnectionsStore((s) => s.loaded);
  const { connectionId, selectConnection, status } = useUploadsStore(
    useShallow((s) => ({ connectionId: s.connectionId, selectConnection: s.selectConnection, status: s.status })),
  );

  useEffect(() => {
    if (servers.length === 0) return;
    if (!connectionId || !servers.some((c) => c.id === connectionId)) selectConnection(servers[0]!.id);
  }, [servers, connectionId, selectConnection]);

  if (!loaded) return <p className="muted">Loading…</p>;
  if (servers.length === 0) {
    return (
      <section aria-labelledby="uploads-title">
        <h1 id="uploads-title">Uploads</h1>
        <EmptyState
          title="No image server"
          actions={
            <button type="button" className="primary" onClick={() => navigate('settings')}>
              Add an image server
            </button>
          }
        >
          <p>Image sessions collect printer snapshots and photos and deliver them to a recipient. Add an IMSS connection in Settings to start one.</p>
        </EmptyState>
      </section>
    );
  }

  const server = status?.servers.find((s) => s.connectionId === connectionId);
  return (
    <section aria-labelledby="uploads-title" className="uploads">
      <div className="section-head">
        <h1 id="uploads-title">Uploads</h1>
        {servers.length > 1 && (
          <label className="uploads-server">
            Image server{' '}
            <select value={connectionId ?? ''} onChange={(e) => selectConnection(e.target.value)}>
              {servers.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {server?.circuit === 'down' && (
        <p className="banner banner-warning" role="alert">
          {server.name} does not answer; uploads wait and resume by themselves when it is back.{server.message ? ` (${server.message})` : ''}
        </p>
      )}
      {connectionId && (
        <div className="uploads-layout">
          <SessionsList connectionId={connectionId} />
          <SessionPanel connectionId={connectionId} />
        </div>
      )}
      <JobsPanel />
      <StoragePanel />
    </section>
  );
}
