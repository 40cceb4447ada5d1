import { useEffect, useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { CloudMessage } from '../../../shared/contract';
import { api } from '../../api';
import { useCloudStore } from './cloud-store';
import { Cover, StatusPill } from './Cover';

/** Messages from the cloud (mostly "your print finished"); new ones arrive live. */
export function InboxPanel({ connectionId }: { connectionId: string }) {
  const id = useId();
  const fresh = useCloudStore(useShallow((s) => s.fresh[connectionId] ?? []));
  const [older, setOlder] = useState<CloudMessage[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = async (after?: string) => {
    setBusy(true);
    setError(null);
    const r = await api().call('cloud.messages', { connectionId, limit: 20, ...(after ? { after } : {}) });
    setBusy(false);
    if (!r.ok) {
      setError(r.error.message);
      return;
    }
    setOlder((prev) => {
      const base = after ? prev : [];
      const known = new Set(base.map((m) => m.id));
      return [...base, ...r.value.messages.filter((m) => !known.has(m.id))];
    });
    setCursor(r.value.nextCursor);
    setDone(r.value.nextCursor === null);
  };

  useEffect(() => {
    void load();
    // Only when the account changes; later pages come from the button.
  }, [connectionId]);

  const freshIds = new Set(fresh.map((m) => m.id));
  const messages = [...fresh, ...older.filter((m) => !freshIds.has(m.id))];

  return (
    <section aria-labelledby={`${id}-title`} className="cloud-section">
      <h2 id={`${id}-title`}>Inbox</h2>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {messages.length === 0 && !busy && !error && <p className="muted">No messages.</p>}
      <ul className="cloud-list" aria-label="Cloud messages">
        {messages.map((m) => (
          <li key={m.id} className="cloud-item">
            {m.task ? <Cover connectionId={connectionId} coverId={m.task.coverId} title={m.task.title} /> : <div className="cloud-cover cloud-cover-empty" aria-hidden="true" />}
            <div className="cloud-item-text">
              <div className="cloud-item-head">
                <strong>{m.task ? m.task.title : m.typeLabel}</strong>
                {m.task && <StatusPill status={m.task.status} />}
                {freshIds.has(m.id) && <span className="pill cloud-new">New</span>}
              </div>
              <span className="muted small">
                {[m.typeLabel, m.task?.deviceName ?? m.task?.devId, m.from ? `from ${m.from}` : null, m.createdAt ? new Date(m.createdAt).toLocaleString() : null]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
            </div>
          </li>
        ))}
      </ul>
      {!done && cursor && (
        <button type="button" onClick={() => void load(cursor)} disabled={busy}>
          {busy ? 'Loading…' : 'Load older messages'}
        </button>
      )}
    </section>
  );
}
