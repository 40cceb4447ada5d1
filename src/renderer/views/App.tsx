import { useEffect } from 'react';
import { bootstrapStores } from '../stores/bootstrap';
import { subscribeUploads } from './uploads/uploads-store';
import { syncRouteWithHash, useAppStore, type Route } from '../stores/app-store';
import { ConnectionBanner } from '../components/ConnectionBanner';
import { PrintConfirmDialog } from '../components/PrintConfirmDialog';
import { NotificationBell } from '../components/NotificationBell';
import { Toasts } from '../components/Toasts';
import { CloudView } from './CloudView';
import { ChatView } from './ChatView';
import { DevicesView } from './DevicesView';
import { HistoryView } from './HistoryView';
import { QueueView } from './QueueView';
import { SettingsView } from './SettingsView';
import { UploadsView } from './UploadsView';

const NAV: { route: Route; label: string }[] = [
  { route: 'devices', label: 'Devices' },
  { route: 'queue', label: 'Queue' },
  { route: 'history', label: 'History' },
  { route: 'cloud', label: 'Cloud' },
  { route: 'chat', label: 'Chat' },
  { route: 'uploads', label: 'Uploads' },
  { route: 'settings', label: 'Settings' },
];

export function App() {
  const route = useAppStore((s) => s.route);
  const theme = useAppStore((s) => s.theme);
  const navigate = useAppStore((s) => s.navigate);

  useEffect(() => {
    const offStores = bootstrapStores();
    // Uploads follow main for the app's whole life: timelapse frames and job progress that arrive
    // while another screen is shown are there when the person comes back.
    const offUploads = subscribeUploads();
    const offHash = syncRouteWithHash();
    return () => {
      offStores();
      offUploads();
      offHash();
    };
  }, []);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand" aria-hidden="true">
          ▦
        </span>
        <span className="brand-name">Printdeck</span>
        <nav aria-label="Main">
          <ul className="nav">
            {NAV.map((item) => (
              <li key={item.route}>
                <a
                  href={`#/${item.route}`}
                  aria-current={route === item.route ? 'page' : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(item.route);
                  }}
                >
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <NotificationBell />
      </header>
      <ConnectionBanner />
      <main id="main" tabIndex={-1}>
        {route === 'devices' && <DevicesView />}
        {route === 'queue' && <QueueView />}
        {route === 'history' && <HistoryView />}
        {route === 'cloud' && <CloudView />}
        {route === 'chat' && <ChatView />}
        {route === 'uploads' && <UploadsView />}
        {route === 'settings' && <SettingsView />}
      </main>
      <PrintConfirmDialog />
      <Toasts />
    </div>
  );
}
