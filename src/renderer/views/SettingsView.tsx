import { ConnectionsManager } from './settings/ConnectionsManager';
import { DemoPanel } from './settings/DemoPanel';
import { MqttPanel } from './settings/MqttPanel';
import { useAppStore, type Theme } from '../stores/app-store';
import { BrowserAlertsSwitch } from '../components/BrowserAlertsSwitch';

export function SettingsView() {
  const theme = useAppStore((s) => s.theme);
  const setTheme = useAppStore((s) => s.setTheme);
  const info = useAppStore((s) => s.info);
  return (
    <div className="settings">
      <h1>Settings</h1>
      <ConnectionsManager />
      <MqttPanel />
      <DemoPanel />
      <section aria-labelledby="appearance-title" className="panel">
        <h2 id="appearance-title">Appearance</h2>
        <fieldset className="segmented">
          <legend>Theme</legend>
          {(['system', 'light', 'dark'] as Theme[]).map((t) => (
            <label key={t}>
              <input type="radio" name="theme" value={t} checked={theme === t} onChange={() => setTheme(t)} />
              {t === 'system' ? 'Match system' : t === 'light' ? 'Light' : 'Dark'}
            </label>
          ))}
        </fieldset>
      </section>
      {info?.transport === 'websocket' && (
        <section aria-labelledby="alerts-title" className="panel">
          <h2 id="alerts-title">Notifications</h2>
          <BrowserAlertsSwitch />
        </section>
      )}
      <section aria-labelledby="about-title" className="panel">
        <h2 id="about-title">About</h2>
        {info ? (
          <dl className="facts">
            <dt>Version</dt>
            <dd>{info.version}</dd>
            <dt>Connected over</dt>
            <dd>{info.transport === 'ipc' ? 'Desktop app' : 'Browser (headless host)'}</dd>
            <dt>Secrets</dt>
            <dd>{info.secrets.kind === 'safeStorage' ? 'Encrypted with the system keychain' : 'Encrypted with a key file only you can read'}</dd>
          </dl>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </section>
    </div>
  );
}
