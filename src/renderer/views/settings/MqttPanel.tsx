import { useEffect, useId, useState, type FormEvent } from 'react';
import { MqttCommand, type MqttSettings, type MqttView } from '../../../shared/contract';
import { api } from '../../api';
import { useAppStore } from '../../stores/app-store';
import { subscribeStore } from '../../stores/subscribe-store';

/** What each command lets others do, in words (the wire names are in docs/mqtt.md). */
const COMMAND_LABELS: Record<MqttCommand, string> = {
  pause: 'pause',
  resume: 'resume',
  cancel: 'cancel',
  'print-job': 'print a job of this host’s queue',
  print: 'print files other sites send',
};

const LINK_WORDS: Record<MqttView['link']['state'], string> = {
  off: 'Not publishing',
  connecting: 'Connecting to the broker…',
  online: 'Publishing',
  offline: 'The broker cannot be reached; retrying',
  error: 'The broker refused the connection',
};

/** Publishing this host's printers to an MQTT broker, for other sites and Home Assistant (docs/mqtt.md). */
export function MqttPanel() {
  const [view, setView] = useState<MqttView | null>(null);
  const [draft, setDraft] = useState<MqttSettings | null>(null);
  const [password, setPassword] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorToast = useAppStore((s) => s.errorToast);
  const id = useId();

  useEffect(
    () =>
      subscribeStore({
        events: { 'mqtt.changed': (v) => setView(v) },
        async reload() {
          const r = await api().call('mqtt.get', {});
          // A host from before MQTT answers nothing useful: the panel then stays hidden.
          if (r.ok && r.value?.settings) {
            setView(r.value);
            setDraft((d) => d ?? r.value.settings);
          }
        },
      }),
    [],
  );

  if (!view || !draft) return null;
  const patch = (p: Partial<MqttSettings>) => setDraft({ ...draft, ...p });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setError(null);
    const r = await api().call('mqtt.configure', { ...draft, ...(password ? { password } : {}) });
    setSaving(false);
    if (r.ok) {
      setView(r.value);
      setDraft(r.value.settings);
      setPassword('');
    } else {
      setError(r.error.message);
      errorToast('MQTT', r.error);
    }
  };

  return (
    <section aria-labelledby={`${id}-title`} className="panel">
      <h2 id={`${id}-title`}>Sites and Home Assistant (MQTT)</h2>
      <p className="muted">
        Publish this host’s printers to an MQTT broker, so other Printdeck sites and Home Assistant see them. {LINK_WORDS[view.link.state]}
        {view.link.message ? `: ${view.link.message}` : '.'}
      </p>
      <form onSubmit={submit} className="form">
        <label>
          <input type="checkbox" checked={draft.enabled} onChange={(e) => patch({ enabled: e.target.checked })} /> Publish to a broker
        </label>
        <label>
          Broker
          <input value={draft.url} placeholder="mqtts://broker.example.org:8883" onChange={(e) => patch({ url: e.target.value })} />
        </label>
        <label>
          User name
          <input value={draft.username ?? ''} onChange={(e) => patch({ username: e.target.value.trim() ? e.target.value : null })} />
        </label>
        <label>
          Password {view.hasPassword ? '(stored; leave empty to keep it)' : ''}
          <input type="password" value={password} autoComplete="new-password" onChange={(e) => setPassword(e.target.value)} />
        </label>
        <label>
          Site name
          <input value={draft.site} onChange={(e) => patch({ site: e.target.value })} />
        </label>
        <label>
          This host’s name
          <input value={draft.hostName} onChange={(e) => patch({ hostName: e.target.value })} />
        </label>
        <label>
          <input type="checkbox" checked={draft.discovery} onChange={(e) => patch({ discovery: e.target.checked })} /> Home Assistant discovery, prefix{' '}
          <input value={draft.discoveryPrefix} aria-label="Discovery prefix" onChange={(e) => patch({ discoveryPrefix: e.target.value })} />
        </label>
        <label>
          <input type="checkbox" checked={draft.camera} onChange={(e) => patch({ camera: e.target.checked })} /> Share camera frames (one every 10 s)
        </label>
        <fieldset>
          <legend>Commands other sites and Home Assistant may send (off unless ticked)</legend>
          {MqttCommand.options.map((c) => (
            <label key={c}>
              <input
                type="checkbox"
                checked={draft.commands.includes(c)}
                onChange={(e) => patch({ commands: e.target.checked ? [...draft.commands, c] : draft.commands.filter((x) => x !== c) })}
              />{' '}
              {COMMAND_LABELS[c]}
            </label>
          ))}
        </fieldset>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </form>
    </section>
  );
}
