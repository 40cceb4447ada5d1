import { useState } from 'react';
import { ADDRESS_SCHEMES, type Connection } from '../../../shared/contract';
import { useAppStore } from '../../stores/app-store';
import { useConnectionsStore } from '../../stores/connections-store';
import { ConnectionForm, type ConnectionDraft } from './ConnectionForm';
import { KIND_LABELS } from './kind-labels';
import { OctoprintPairing } from './OctoprintPairing';

export function ConnectionsManager() {
  const connections = useConnectionsStore((s) => s.connections);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [pairing, setPairing] = useState<string | null>(null);
  return (
    <section aria-labelledby="connections-title" className="panel">
      <div className="section-head">
        <h2 id="connections-title">Connections</h2>
        {!adding && (
          <button type="button" className="primary" onClick={() => setAdding(true)}>
            Add connection
          </button>
        )}
      </div>
      {adding && <AddConnection onDone={() => setAdding(false)} />}
      {connections.length === 0 && !adding ? (
        <p className="muted">No connections yet. Add a printer, an OctoPrint server or a cloud service.</p>
      ) : (
        <ul className="connection-list" aria-label="Connections">
          {connections.map((c) =>
            editing === c.id ? (
              <li key={c.id}>
                <EditConnection connection={c} onDone={() => setEditing(null)} />
              </li>
            ) : pairing === c.id ? (
              <li key={c.id}>
                <OctoprintPairing connection={c} onDone={() => setPairing(null)} />
              </li>
            ) : (
              <li key={c.id} className="connection-row">
                <ConnectionRow connection={c} onEdit={() => setEditing(c.id)} onPair={() => setPairing(c.id)} />
              </li>
            ),
          )}
        </ul>
      )}
    </section>
  );
}

function ConnectionRow({ connection: c, onEdit, onPair }: { connection: Connection; onEdit: () => void; onPair: () => void }) {
  const remove = useConnectionsStore((s) => s.remove);
  const errorToast = useAppStore((s) => s.errorToast);
  return (
    <>
      <div className="connection-text">
        <strong>{c.name}</strong>
        <span className="muted small">
          {KIND_LABELS[c.kind]} · {c.address}
          {c.hasSecret ? ' · key saved' : ''}
          {c.origin === 'demo' ? ' · demo' : ''}
        </span>
      </div>
      <div className="row-actions">
        {c.kind === 'octoprint' && (
          <button type="button" onClick={onPair} aria-label={`${c.hasSecret ? 'Pair again' : 'Pair'} ${c.name}`}>
            {c.hasSecret ? 'Pair again' : 'Pair'}
          </button>
        )}
        <button type="button" onClick={onEdit} aria-label={`Edit ${c.name}`}>
          Edit
        </button>
        <button
          type="button"
          className="danger"
          aria-label={`Remove ${c.name}`}
          onClick={async () => {
            if (!window.confirm(`Remove ${c.name}? Its saved key is deleted too.`)) return;
            const r = await remove(c.id);
            if (!r.ok) errorToast(`Could not remove ${c.name}`, r.error);
          }}
        >
          Remove
        </button>
      </div>
    </>
  );
}

function AddConnection({ onDone }: { onDone: () => void }) {
  const add = useConnectionsStore((s) => s.add);
  const toast = useAppStore((s) => s.toast);
  return (
    <ConnectionForm
      title="Add connection"
      initial={{ kind: 'xyz', name: '', address: '', secret: '' }}
      submitLabel="Add"
      onCancel={onDone}
      onSubmit={async (d: ConnectionDraft) => {
        const r = await add({ kind: d.kind, name: d.name, address: d.address, ...(d.secret ? { secret: d.secret } : {}) });
        if (r.ok) {
          toast({ level: 'success', title: `${r.value.name} added`, body: '' });
          onDone();
        }
        return r;
      }}
      hint={(kind) => ADDRESS_SCHEMES[kind].hint}
    />
  );
}

function EditConnection({ connection, onDone }: { connection: Connection; onDone: () => void }) {
  const update = useConnectionsStore((s) => s.update);
  return (
    <ConnectionForm
      title={`Edit ${connection.name}`}
      initial={{ kind: connection.kind, name: connection.name, address: connection.address, secret: '' }}
      kindFixed
      hasSecret={connection.hasSecret}
      submitLabel="Save"
      onCancel={onDone}
      onSubmit={async (d) => {
        const r = await update({ id: connection.id, name: d.name, address: d.address, ...(d.secret ? { secret: d.secret } : {}) });
        if (r.ok) onDone();
        return r;
      }}
      hint={(kind) => ADDRESS_SCHEMES[kind].hint}
    />
  );
}
