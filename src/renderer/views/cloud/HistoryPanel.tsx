import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { CloudTask } from '../../../shared/contract';
import { api } from '../../api';
import { useDevicesStore } from '../../stores/devices-store';
import { formatDuration } from '../format';
import { Cover, StatusPill } from './Cover';

/** The account's print history, all printers or one, loading more as the list scrolls. */
export function HistoryPanel({ connectionId, initialDevId = '' }: { connectionId: string; initialDevId?: string }) {
  const id = useId();
  // Select the snapshots themselves (stable references for useShallow), derive the options after.
  const devices = useDevicesStore(
    useShallow((s) => Object.values(s.byId).filter((d) => d.family === 'cloud' && d.connectionId === connectionId && d.serial)),
  );
  const printers = devices.map((d) => ({ devId: d.serial ?? '', name: d.name }));
  const [devId, setDevId] = useState(initialDevId);
  const [tasks, setTasks] = useState<CloudTask[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);
  const sentinel = useRef<HTMLLIElement | null>(null);

  const loadMore = useCallback(
    async (reset = false) => {
      if (busy && !reset) return;
      const gen = reset ? ++generation.current : generation.current;
      setBusy(true);
      setError(null);
      const after = reset ? undefined : (cursor ?? undefined);
      const r = await api().call('cloud.history', { connectionId, limit: 20, ...(devId ? { devId } : {}), ...(after ? { after } : {}) });
      if (gen !== generation.current) return;
      setBusy(false);
      if (!r.ok) {
        setError(r.error.message);
        return;
      }
      setTotal(r.value.total);
      setTasks((prev) => {
        const base = reset ? [] : prev;
        const known = new Set(base.map((t) => t.id));
        return [...base, ...r.value.tasks.filter((t) => !known.has(t.id))];
      });
      setCursor(r.value.nextCursor);
      setDone(r.value.nextCursor === null);
    },
    [busy, connectionId, cursor, devId],
  );

  useEffect(() => {
    setTasks([]);
    setCursor(null);
    setDone(false);
    void loadMore(true);
  }, [connectionId, devId]);

  useEffect(() => {
    const el = sentinel.current;
    if (!el || done || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) void loadMore();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [loadMore, done]);

  return (
    <section aria-labelledby={`${id}-title`} className="cloud-section">
      <div className="section-head">
        <h2 id={`${id}-title`}>Print history</h2>
        <span className="muted small">{total === null ? '' : `${total} task${total === 1 ? '' : 's'}`}</span>
      </div>
      <label htmlFor={`${id}-printer`}>Printer</label>{' '}
      <select id={`${id}-printer`} value={devId} onChange={(e) => setDevId(e.target.value)}>
        <option value="">All printers</option>
        {printers.map((p) => (
          <option key={p.devId} value={p.devId}>
            {p.name}
          </option>
        ))}
      </select>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <ul className="cloud-list" aria-label="Print history">
        {tasks.map((t) => (
          <li key={t.id} className="cloud-item">
            <Cover connectionId={connectionId} coverId={t.coverId} title={t.title} />
            <div className="cloud-item-text">
              <div className="cloud-item-head">
                <strong>{t.title}</strong> <StatusPill status={t.status} />
              </div>
              <span className="muted small">
                {[t.deviceName ?? t.devId, t.startTime ? new Date(t.startTime).toLocaleString() : null].filter(Boolean).join(' · ')}
              </span>
              <span className="small">
                {t.status.tone === 'running' ? `Printing for ${formatDuration(t.durationSec)} so far` : `Took ${formatDuration(t.durationSec)}`}
                {t.estimatedSec !== null && ` · estimated ${formatDuration(t.estimatedSec)}`}
                {t.weightGrams !== null && ` · ~${t.weightGrams.toFixed(1)} g`}
              </span>
            </div>
          </li>
        ))}
        {!done && (
          <li ref={sentinel} className="cloud-more">
            <button type="button" onClick={() => void loadMore()} disabled={busy}>
              {busy ? 'Loading…' : 'Load more'}
            </button>
          </li>
        )}
      </ul>
      {done && tasks.length === 0 && !error && <p className="muted">No prints yet.</p>}
    </section>
  );
}
