import { useId, useState, type FormEvent } from 'react';
import { ConnectionKind, type Connection } from '../../../shared/contract';
import type { Result } from '../../../shared/rpc/result';
import { KIND_LABELS } from './kind-labels';

export interface ConnectionDraft {
  kind: ConnectionKind;
  name: string;
  address: string;
  secret: string;
}

const SECRET_LABEL: Record<ConnectionKind, string | null> = {
  xyz: null,
  octoprint: 'API key (optional: pairing can fetch one)',
  moonraker: 'API key (optional: not needed when this computer is a trusted client)',
  marlin: null,
  armory: null,
  skiserver: null,
  imss: 'Access token (optional)',
  site: 'Broker password (optional; the user name goes in the address, mqtt://user@broker/site)',
};

interface Props {
  title: string;
  initial: ConnectionDraft;
  kindFixed?: boolean;
  hasSecret?: boolean;
  submitLabel: string;
  onSubmit(draft: ConnectionDraft): Promise<Result<Connection>>;
  onCancel(): void;
  hint(kind: ConnectionKind): string;
}

export function ConnectionForm({ title, initial, kindFixed, hasSecret, submitLabel, onSubmit, onCancel, hint }: Props) {
  const [draft, setDraft] = useState(initial);
  const [error, setError] = useState<{ message: string; field: string | undefined } | null>(null);
  const [saving, setSaving] = useState(false);
  const id = useId();
  const secretLabel = SECRET_LABEL[draft.kind];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setError(null);
    const r = await onSubmit(draft);
    setSaving(false);
    if (!r.ok) setError({ message: r.error.message, field: r.error.detail });
  };

  return (
    <form className="connection-form" aria-label={title} onSubmit={submit} noValidate>
      <h3>{title}</h3>
      <label htmlFor={`${id}-kind`}>Kind</label>
      <select
        id={`${id}-kind`}
        value={draft.kind}
        disabled={kindFixed}
        onChange={(e) => setDraft({ ...draft, kind: ConnectionKind.parse(e.target.value) })}
      >
        {ConnectionKind.options.map((k) => (
          <option key={k} value={k}>
            {KIND_LABELS[k]}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-name`}>Name</label>
      <input
        id={`${id}-name`}
        value={draft.name}
        required
        maxLength={120}
        aria-invalid={error?.field === 'name' || undefined}
        onChange={(e) => setDraft({ ...draft, name: e.target.value })}
      />
      <label htmlFor={`${id}-address`}>Address</label>
      <input
        id={`${id}-address`}
        value={draft.address}
        required
        placeholder={hint(draft.kind)}
        aria-describedby={`${id}-address-hint`}
        aria-invalid={error?.field === 'address' || undefined}
        onChange={(e) => setDraft({ ...draft, address: e.target.value })}
      />
      <p id={`${id}-address-hint`} className="muted small">
        For example {hint(draft.kind)}
        {hasSecret && draft.address !== initial.address && ' — another server: the saved key is forgotten unless you enter it again below.'}
      </p>
      {secretLabel && (
        <>
          <label htmlFor={`${id}-secret`}>{secretLabel}</label>
          <input
            id={`${id}-secret`}
            type="password"
            autoComplete="off"
            value={draft.secret}
            placeholder={hasSecret ? 'Saved — leave empty to keep it' : ''}
            onChange={(e) => setDraft({ ...draft, secret: e.target.value })}
          />
        </>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error.message}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Saving…' : submitLabel}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
