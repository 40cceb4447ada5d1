import { useId, useState, type FormEvent } from 'react';
import type { CloudAccount } from '../../../shared/contract';
import type { Result, RpcErrorShape } from '../../../shared/rpc/result';
import { api } from '../../api';
import { useCloudStore } from './cloud-store';

/** Password first; when the cloud emails a code, the code. "Sign in again" reuses this form. */
export function SignInPanel({ account }: { account: CloudAccount }) {
  const id = useId();
  const apply = useCloudStore((s) => s.apply);
  const [user, setUser] = useState(account.account ?? '');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<RpcErrorShape | null>(null);

  const run = async (work: () => Promise<Result<CloudAccount>>) => {
    setBusy(true);
    setError(null);
    const r = await work();
    setBusy(false);
    if (r.ok) apply(r.value);
    else setError(r.error);
    // The state may have moved (e.g. an expired code goes back to the password step).
    if (!r.ok) void useCloudStore.getState().load();
  };

  const signIn = (e: FormEvent) => {
    e.preventDefault();
    void run(() =>
      api().call('cloud.signIn', { connectionId: account.connectionId, account: user, ...(password ? { password } : {}) }),
    ).then(() => setPassword(''));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(() => api().call('cloud.submitCode', { connectionId: account.connectionId, code })).then(() => setCode(''));
  };
  const startOver = () => void run(() => api().call('cloud.signOut', { connectionId: account.connectionId }));

  if (account.state === 'code-required') {
    return (
      <form className="cloud-form" aria-label={`Verification code for ${account.name}`} onSubmit={submit}>
        <p>{account.message ?? 'Enter the verification code the cloud sent you.'}</p>
        {account.demoHint && (
          <p className="cloud-demo-hint" role="note">
            {account.demoHint}
          </p>
        )}
        <label htmlFor={`${id}-code`}>Verification code</label>
        <input
          id={`${id}-code`}
          inputMode="numeric"
          autoComplete="one-time-code"
          value={code}
          maxLength={12}
          onChange={(e) => setCode(e.target.value.trim())}
          required
        />
        {error && (
          <p className="form-error" role="alert">
            {error.message}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy || code.length < 4}>
            {busy ? 'Checking…' : 'Verify code'}
          </button>
          <button type="button" onClick={startOver} disabled={busy}>
            Start over
          </button>
        </div>
      </form>
    );
  }

  return (
    <form className="cloud-form" aria-label={`Sign in to ${account.name}`} onSubmit={signIn}>
      {account.state === 'expired' && (
        <p className="problem" role="alert">
          {account.message ?? 'Sign in again.'}
        </p>
      )}
      {account.state === 'signed-out' && account.message && <p className="muted">{account.message}</p>}
      <label htmlFor={`${id}-account`}>Account (email or phone)</label>
      <input id={`${id}-account`} autoComplete="username" value={user} maxLength={254} onChange={(e) => setUser(e.target.value)} required />
      <label htmlFor={`${id}-password`}>Password</label>
      <input
        id={`${id}-password`}
        type="password"
        autoComplete="current-password"
        value={password}
        maxLength={256}
        placeholder={account.passwordSaved ? 'Saved — leave empty to use it' : ''}
        onChange={(e) => setPassword(e.target.value)}
        required={!account.passwordSaved}
      />
      {error && (
        <p className="form-error" role="alert">
          {error.message}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy || !user.trim()}>
          {busy ? 'Signing in…' : account.state === 'expired' ? 'Sign in again' : 'Sign in'}
        </button>
      </div>
    </form>
  );
}
