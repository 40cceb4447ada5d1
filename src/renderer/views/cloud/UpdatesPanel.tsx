import { useEffect, useId, useState } from 'react';
import type { CloudUpdate } from '../../../shared/contract';
import { api } from '../../api';

/** What the cloud's resource types are, in words (they are download channels of the slicer, not updates of Printdeck). */
export function downloadLabel(type: string): string {
  if (type === 'software') return 'Bambu Studio (slicer)';
  if (type === 'slicer/plugins/cloud') return 'Slicer network plugin';
  if (type === 'slicer/cameratools/cloud') return 'Slicer camera tools';
  return `Slicer resource “${type}”`;
}

/** Slicer and plugin downloads the cloud offers; required versions are called out. */
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
      <h2 id={`${id}-title`}>Slicer downloads</h2>
      <p className="muted small">Versions of the slicer and its plugins that the cloud offers for download. They do not update Printdeck or the printers.</p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {updates === null && !error && <p className="muted">Checking…</p>}
      {updates?.length === 0 && <p className="muted">Nothing new.</p>}
      <ul className="cloud-list" aria-label="Slicer downloads">
        {updates?.map((u) => (
          <li key={`${u.type}-${u.version}`} className="cloud-item cloud-update">
            <div className="cloud-item-text">
              <div className="cloud-item-head">
                <strong>{downloadLabel(u.type)}</strong> <span className="mono">{u.version}</span>
                {u.forceUpdate && <span className="pill cloud-status-error">Required by the cloud</span>}
              </div>
              {u.description && <span className="small">{u.description}</span>}
              {u.url && (
                <a href={u.url} target="_blank" rel="noopener noreferrer" className="small">
                  Download {downloadLabel(u.type)} {u.version}
                </a>
              )}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
