import { useEffect, useId, useState } from 'react';
import type { CloudUpdate } from '../../../shared/contract';
import { api } from '../../api';

/** Slicer and plugin versions the cloud offers; forced updates are called out. */
export function UpdatesPanel({ connectionId }: { connectionId: string }) {
  const id = useId();
  const [updates, setUpdates] = useState<CloudUpdate[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void api()
      .call('cloud.updates', { connectionId })
      .then((r) => {
        if (!live) return;
        if (r.ok) setUpdates(r.value.updates);
        else setError(r.error.message);
      });
    return () => {
      live = false;
    };
  }, [connectionId]);

  return (
    <section aria-labelledby={`${id}-title`} className="cloud-section">
      <h2 id={`${id}-title`}>Software updates</h2>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {updates === null && !error && <p className="muted">Checking…</p>}
      {updates?.length === 0 && <p className="muted">Nothing new.</p>}
      <ul className="cloud-list" aria-label="Available updates">
        {updates?.map((u) => (
          <li key={`${u.type}-${u.version}`} className="cloud-item cloud-update">
            <div className="cloud-item-text">
              <div className="cloud-item-head">
                <strong>{u.type === 'software' ? 'Slicer' : u.type}</strong> <span className="mono">{u.version}</span>
                {u.forceUpdate && <span className="pill cloud-status-error">Required update</span>}
              </div>
              {u.description && <span className="small">{u.description}</span>}
              {u.url && (
                <a href={u.url} target="_blank" rel="noopener noreferrer" className="small">
                  Download {u.type === 'software' ? 'the slicer' : u.type} {u.version}
                </a>
              )}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
