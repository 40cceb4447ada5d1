import { useState } from 'react';
import { Recipient } from '../../../shared/contract';
import { api } from '../../api';
import { useUploadsStore } from './uploads-store';

/** Uploads every image of the session and has the server deliver them to a recipient. */
export function CreateJobForm({ connectionId, sessionId, imageCount }: { connectionId: string; sessionId: string; imageCount: number }) {
  const [recipient, setRecipient] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const parsed = Recipient.safeParse(recipient);
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? 'Enter a valid e-mail address.');
    setBusy(true);
    const r = await api().call('uploads.createJob', { connectionId, sessionId, recipient: parsed.data });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setRecipient('');
    useUploadsStore.getState().applyJob(r.value);
  }

  return (
    <form className="uploads-form uploads-job-form" onSubmit={submit} aria-label="Upload to a recipient" noValidate>
      <label htmlFor="uploads-recipient">Recipient e-mail</label>
      <input
        id="uploads-recipient"
        type="email"
        autoComplete="email"
        value={recipient}
        maxLength={254}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'uploads-recipient-error' : undefined}
        onChange={(e) => setRecipient(e.target.value)}
      />
      <button type="submit" className="primary" disabled={busy}>
        Upload {imageCount} image{imageCount === 1 ? '' : 's'}
      </button>
      {error && (
        <p id="uploads-recipient-error" className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
