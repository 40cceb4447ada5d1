import { useEffect, useId, useState, type FormEvent } from 'react';
import type { Connection, PairingUpdate } from '../../../shared/contract';
import { api } from '../../api';
import { subscribeStore } from '../../stores/subscribe-store';

/**
 * Pairs an OctoPrint connection: Application Keys (the approval page opens in the system
 * browser, Printdeck waits for the decision) or, as the fallback, a pasted API key that main
 * checks against the server before saving it. The key itself never reaches this page.
 */
export function OctoprintPairing({ connection, onDone }: { connection: Connection; onDone(): void }) {
  const id = useId();
  const [user, setUser] = useState('');
  const [key, setKey] = useState('');
  const [update, setUpdate] = useState<PairingUpdate | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const waiting = update?.phase === 'awaitingDecision';

  useEffect(
    () =>
      subscribeStore({
        events: {
          'octoprint.pairing': (u) => {
            if (u.connectionId === connection.id) setUpdate(u);
          },
        },
      }),
    [connection.id],
  );
  // A pairing left open is cancelled when the dialog goes away.
  useEffect(() => () => void api().call('octoprint.pairCancel', { connectionId: connection.id }), [connection.id]);

  const start = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const r = await api().call('octoprint.pairStart', { connectionId: connection.id, ...(user.trim() ? { user: user.trim() } : {}) });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setUpdate(r.value);
    // The desktop shell sends http(s) pop-ups to the system browser.
    if (r.value.authDialogUrl) window.open(r.value.authDialogUrl, '_blank', 'noopener,noreferrer');
  };

  const paste = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const r = await api().call('octoprint.pairPasteKey', { connectionId: connection.id, apiKey: key });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setKey('');
    setUpdate(r.value);
  };

  return (
    <section className="octoprint-pairing" aria-label={`Pair ${connection.name}`}>
      <h3>Pair {connection.name}</h3>
      {update?.phase === 'paired' ? (
        <>
          <p role="status">{update.message}</p>
          <div className="form-actions">
            <button type="button" className="primary" onClick={onDone}>
              Done
            </button>
          </div>
        </>
      ) : (
        <>
          {update && (
            <p role={update.phase === 'failed' || update.phase === 'denied' || update.phase === 'timedOut' ? 'alert' : 'status'} className={update.phase === 'awaitingDecision' ? '' : 'form-error'}>
              {update.message}
            </p>
          )}
          {waiting && update.authDialogUrl && (
            <p>
              <a href={update.authDialogUrl} target="_blank" rel="noreferrer">
                Open the approval page again
              </a>
            </p>
          )}
          {!waiting && update?.phase !== 'manualKey' && (
            <form onSubmit={start} aria-label="Pair with Application Keys">
              <label htmlFor={`${id}-user`}>OctoPrint user (optional)</label>
              <input id={`${id}-user`} value={user} maxLength={120} autoComplete="username" onChange={(e) => setUser(e.target.value)} />
              <p className="muted small">OctoPrint asks that user to allow Printdeck in a browser page.</p>
              <div className="form-actions">
                <button type="submit" className="primary" disabled={busy}>
                  {busy ? 'Asking OctoPrint…' : 'Pair with OctoPrint'}
                </button>
              </div>
            </form>
          )}
          <form onSubmit={paste} aria-label="Paste an API key">
            <label htmlFor={`${id}-key`}>Or paste an API key</label>
            <input id={`${id}-key`} type="password" autoComplete="off" value={key} maxLength={256} onChange={(e) => setKey(e.target.value)} />
            <div className="form-actions">
              <button type="submit" disabled={busy || key.trim().length < 8}>
                Check and save key
              </button>
              <button
                type="button"
                onClick={() => {
                  if (waiting) void api().call('octoprint.pairCancel', { connectionId: connection.id });
                  onDone();
                }}
              >
                {waiting ? 'Cancel pairing' : 'Close'}
              </button>
            </div>
          </form>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
        </>
      )}
    </section>
  );
}
