import { useBrowserAlertsStore } from '../notifications/browser-alerts';
import { useAppStore } from '../stores/app-store';

/**
 * "Show notifications on this computer": browser notifications for warnings, errors and finished prints, in a
 * browser only (the desktop app shows native ones). The browser is asked on this click, not before.
 */
export function BrowserAlertsSwitch() {
  const { enabled, permission, enable, disable } = useBrowserAlertsStore();
  const transport = useAppStore((s) => s.info?.transport);
  if (transport !== 'websocket' || permission === 'unsupported') return null;
  return (
    <div className="browser-alerts">
      <label>
        <input
          type="checkbox"
          role="switch"
          checked={enabled}
          disabled={permission === 'denied'}
          onChange={() => (enabled ? disable() : void enable())}
        />{' '}
        Show notifications on this computer
      </label>
      <p className="muted small">
        {permission === 'denied'
          ? 'This browser blocks notifications from Printdeck; allow them in its site settings first.'
          : 'Warnings and errors, a few a minute at most, while this tab is open.'}
      </p>
    </div>
  );
}
