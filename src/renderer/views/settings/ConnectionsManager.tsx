import { useEffect, useRef, useState } from 'react';
import { ADDRESS_SCHEMES, type Connection } from '../../../shared/contract';
import { useAppStore } from '../../stores/app-store';
import { useConnectionsStore } from '../../stores/connections-store';
import { ConnectionForm, type ConnectionDraft } from './ConnectionForm';
import { KIND_LABELS } from './kind-labels';
import { OctoprintPairing } from './OctoprintPairing';

/** `#/settings/add` opens the add form; `#/settings/pair:<id>` opens pairing for that row and brings it into view. */
export const ADD_CONNECTION_PARAM = 'add';
export const pairParam = (connectionId: string): string => `pair:${connectionId}`;

export function ConnectionsManager() {
  const connections = useConnectionsStore((s) => s.connections);
  const param = useAppStore((s) => (s.route === 'settings' ? s.param : null));
  const [adding, setAdding] = useState(param === ADD_CONNECTION_PARAM);
  const [editing, setEditing] = useState<string | null>(null);
  const [pairing, setPairing] = useState<string | null>(null);
  const handled = useRef<string | null>(null);
  const pairTarget = param?.startsWith('pair:') ? param.slice('pair:'.length) : null;
  const targetKnown = pairTarget !== null && connections.some((c) => c.id === pairTarget);
  useEffect(() => {
    if (param === ADD_CONNECTION_PARAM) setAdding(true);
    // Waits for the list to load, then opens pairing for the row once per visit.
    if (pairTarget && targetKnown && handled.current !== param) {
      handled.current = param;
      setPairing(pairTarget);
    }
  }, [param, pairTarget, targetKnown]);
  useEffect(() => {
    if (!pairing) return;
    const row = document.getElementById(rowId(pairing));
    row?.scrollIntoView?.({ block: 'center' });
    row?.focus();
  }, [pairing]);
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
      {adding && (
        <AddConnection
          onDone={(added) => {
            setAdding(false);
            // One flow: an OctoPrint added without a key goes straight on to pairing.
            if (added?.kind === 'octoprint' && !added.hasSecret) setPairing(added.id);
          }}
        />
      )}
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
              <li key={c.id} id={rowId(c.id)} tabIndex={-1}>
                <OctoprintPairing connection={c} onDone={() => setPairing(null)} />
              </li>
            ) : (
              <li key={c.id} id={rowId(c.id)} tabIndex={-1} className="connection-row">
                <ConnectionRow connection={c} onEdit={() => setEditing(c.id)} onPair={() => setPairing(c.id)} />
              </li>
            ),
          )}
        </ul>
      )}
    </section>
  );
}

const rowId = (connectionId: string): string => `connection-${connectionId}`;

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

function AddConnection({ onDone }: { onDone: (added?: Connection) => void }) {
  const add = useConnectionsStore((s) => s.add);
  const toast = useAppStore((s) => s.toast);
  return (
    <ConnectionForm
      title="Add connection"
      initial={{ kind: 'xyz', name: '', address: '', secret: '' }}
      submitLabel="Add"
      onCancel={() => onDone()}
      onSubmit={async (d: ConnectionDraft) => {
        const r = await add({ kind: d.kind, name: d.name, address: d.address, ...(d.secret ? { secret: d.secret } : {}) });
        if (r.ok) {
          const pairNext = r.value.kind === 'octoprint' && !r.value.hasSecret;
          toast({ level: 'success', title: `${r.value.name} added`, body: pairNext ? 'Now pair it: OctoPrint asks you to allow Printdeck.' : '' });
          onDone(r.value);
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
