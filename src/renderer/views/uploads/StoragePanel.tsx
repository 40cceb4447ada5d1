import { useEffect, useId, useState, type FormEvent } from 'react';
import type { UploadsRetention } from '../../../shared/contract';
import { api } from '../../api';
import { ProgressBar } from '../../components/ProgressBar';
import { useAppStore } from '../../stores/app-store';
import { formatBytes } from '../format';
import { useUploadsStore } from './uploads-store';

/**
 * The disk Printdeck's own copies take (files a browser sent, camera frames), and what happens to
 * them once delivered: deleted (keeping the newest N if asked), under a budget that deletes
 * delivered copies first and refuses new ones rather than drop one that is not delivered yet.
 */
export function StoragePanel() {
  const id = useId();
  const status = useUploadsStore((s) => s.status);
  const errorToast = useAppStore((s) => s.errorToast);
  const [draft, setDraft] = useState<UploadsRetention | null>(null);
  const [busy, setBusy] = useState(false);
  const retention = status?.retention ?? null;
  useEffect(() => {
    if (retention && !draft) setDraft(retention);
  }, [retention, draft]);
  if (!status || !draft) return null;
  const { storage } = status;

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!draft) return;
    setBusy(true);
    const r = await api().call('uploads.configure', { retention: draft });
    setBusy(false);
    if (!r.ok) errorToast('The storage settings were not saved', r.error);
    else {
      useUploadsStore.getState().setStatus(r.value);
      setDraft(r.value.retention);
    }
  }

  return (
    <section className="panel uploads-storage" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Local copies</h2>
      <p className="small" role="status">
        {storage.files} cop{storage.files === 1 ? 'y' : 'ies'} on this computer, {formatBytes(storage.bytes)} of {formatBytes(storage.budgetBytes)} allowed
        {storage.deliveredFiles > 0 ? ` · ${storage.deliveredFiles} already delivered (${formatBytes(storage.deliveredBytes)}), deleted first when room is needed` : ''}
      </p>
      <ProgressBar value={storage.budgetBytes > 0 ? Math.min(1, storage.bytes / storage.budgetBytes) : null} label="Disk used by local copies" />
      <form className="uploads-form" onSubmit={(e) => void save(e)} aria-label="Local copies settings">
        <label>
          <input type="checkbox" checked={draft.deleteDelivered} onChange={(e) => setDraft({ ...draft, deleteDelivered: e.target.checked })} /> Delete a copy once
          it is delivered
        </label>
        <label htmlFor={`${id}-keep`}>Keep the newest delivered copies</label>
        <input
          id={`${id}-keep`}
          type="number"
          min={0}
          max={100000}
          value={draft.keepLast}
          onChange={(e) => setDraft({ ...draft, keepLast: Math.max(0, Math.trunc(Number(e.target.value)) || 0) })}
        />
        <label htmlFor={`${id}-budget`}>Disk budget (MB)</label>
        <input
          id={`${id}-budget`}
          type="number"
          min={1}
          max={1048576}
          value={draft.budgetMb}
          onChange={(e) => setDraft({ ...draft, budgetMb: Math.max(1, Math.trunc(Number(e.target.value)) || 1) })}
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </form>
      <p className="muted small">Files added from this computer&apos;s disk are yours: Printdeck never deletes them.</p>
    </section>
  );
}
