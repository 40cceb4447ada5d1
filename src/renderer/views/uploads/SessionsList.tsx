import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { api } from '../../api';
import { useAppStore } from '../../stores/app-store';
import { useUploadsStore } from './uploads-store';

/** The sessions of one server, newest first, and the form that starts a new one. */
export function SessionsList({ connectionId }: { connectionId: string }) {
  const { sessions, offline, problem, selected, selectSession, loadSessions } = useUploadsStore(
    useShallow((s) => ({
      sessions: s.sessions,
      offline: s.offline,
      problem: s.sessionsProblem,
      selected: s.selectedSessionId,
      selectSession: s.selectSession,
      loadSessions: s.loadSessions,
    })),
  );
  const errorToast = useAppStore((s) => s.errorToast);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const active = sessions.find((s) => !s.completed);

  async function create(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    const r = await api().call('uploads.createSession', { connectionId, name: name.trim() || defaultName() });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setName('');
    await loadSessions();
    selectSession(r.value.id);
  }

  async function complete(sessionId: string) {
    const r = await api().call('uploads.completeSession', { connectionId, sessionId });
    if (!r.ok) errorToast('The session was not completed', r.error);
    await loadSessions();
  }

  return (
    <aside className="panel uploads-sessions" aria-labelledby="uploads-sessions-title">
      <h2 id="uploads-sessions-title">Sessions</h2>
      {problem?.credentialsRefused ? (
        <p className="form-error small" role="alert">
          The server refused Printdeck&apos;s credentials (its token); showing the sessions Printdeck knows. Check the connection&apos;s token in Settings.
        </p>
      ) : (
        offline && <p className="muted small">The server does not answer; showing the sessions Printdeck knows.</p>
      )}
      {!active && (
        <form className="uploads-form" onSubmit={create} aria-label="New session">
          <label htmlFor="uploads-session-name">Session name</label>
          <input id="uploads-session-name" value={name} maxLength={200} placeholder={defaultName()} onChange={(e) => setName(e.target.value)} />
          <button type="submit" className="primary" disabled={busy}>
            Start session
          </button>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
      {active && (
        <p className="small">
          Active: <strong>{active.name}</strong>{' '}
          <button type="button" className="small-button" onClick={() => void complete(active.id)}>
            Complete session
          </button>
        </p>
      )}
      <ul className="uploads-session-list" aria-label="Sessions">
        {sessions.map((s) => (
          <li key={s.id}>
            <button type="button" className="uploads-session" aria-current={s.id === selected ? 'true' : undefined} onClick={() => selectSession(s.id)}>
              <span className="uploads-session-name">{s.name}</span>
              <span className="muted small">
                {s.imageCount} image{s.imageCount === 1 ? '' : 's'} · {s.completed ? 'completed' : 'active'}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </aside>
  );
}

function defaultName(): string {
  return `Photos from ${new Date().toLocaleDateString()}`;
}
