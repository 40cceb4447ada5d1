import { useState, type FormEvent } from 'react';
import type { ChatAccount } from '../../../shared/contract/chat';
import { api } from '../../api';
import { useChatStore } from './chat-store';

/** Sign up or add this device: email → emailed 6-digit code → user id and name. */
export function SignIn({ account }: { account: ChatAccount }) {
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [userId, setUserId] = useState('');
  const [userName, setUserName] = useState('');
  const [step, setStep] = useState<'email' | 'code'>('email');
  const [hint, setHint] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const refresh = useChatStore((s) => s.loadAccounts);

  const requestCode = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const r = await api().call('chat.requestCode', { connectionId: account.connectionId, email });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setStep('code');
    if (!userId) setUserId(email.split('@')[0]?.toLowerCase().replace(/[^a-z0-9._-]/g, '').slice(0, 32) ?? '');
    setHint(r.value.demoCode ? `Demo server: your code is ${r.value.demoCode}` : `We sent a code to ${email}. It is valid for ${Math.round(r.value.ttlSeconds / 60)} minutes.`);
    if (r.value.demoCode) setCode(r.value.demoCode);
  };

  const register = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const r = await api().call('chat.register', { connectionId: account.connectionId, email, userId, userName: userName || userId, code });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    await refresh();
  };

  return (
    <section className="chat-signin card" aria-labelledby="chat-signin-title">
      <h2 id="chat-signin-title">Sign in to {account.name}</h2>
      <p className="muted small">New keys are created on this device. Using an existing user id with the same email adds this device to that account.</p>
      {step === 'email' ? (
        <form onSubmit={(e) => void requestCode(e)} className="chat-form">
          <label htmlFor="chat-email">Email</label>
          <input id="chat-email" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="email" />
          <button type="submit" className="primary" disabled={busy}>Send me a code</button>
        </form>
      ) : (
        <form onSubmit={(e) => void register(e)} className="chat-form">
          {hint && <p role="status">{hint}</p>}
          <label htmlFor="chat-code">Code</label>
          <input id="chat-code" inputMode="numeric" pattern="\d{6}" required value={code} onChange={(e) => setCode(e.target.value)} />
          <label htmlFor="chat-userid">User id</label>
          <input id="chat-userid" required value={userId} onChange={(e) => setUserId(e.target.value)} />
          <label htmlFor="chat-username">Display name</label>
          <input id="chat-username" value={userName} onChange={(e) => setUserName(e.target.value)} />
          <div className="chat-row">
            <button type="button" onClick={() => setStep('email')}>Back</button>
            <button type="submit" className="primary" disabled={busy}>{busy ? 'Creating keys…' : 'Sign in'}</button>
          </div>
        </form>
      )}
      {error && <p role="alert" className="chat-error">{error}</p>}
    </section>
  );
}
