import { useMemo, useState } from 'react';
import type { AppNotification } from '../../shared/contract';

type NotificationLevel = AppNotification['level'];
import { naturalCompare } from '../fleet/fleet-view';
import { useAppStore, type Route } from '../stores/app-store';
import { useDevicesStore } from '../stores/devices-store';
import { useNotificationsStore } from '../stores/notifications-store';
import { BrowserAlertsSwitch } from './BrowserAlertsSwitch';

const LEVELS: { id: NotificationLevel; label: string }[] = [
  { id: 'error', label: 'Errors' },
  { id: 'warning', label: 'Warnings' },
  { id: 'success', label: 'Done' },
  { id: 'info', label: 'Info' },
];

/** The bell in the top bar: the unread count, and the notification centre it opens. */
export function NotificationBell() {
  const unread = useNotificationsStore((s) => s.unread);
  const [open, setOpen] = useState(false);
  return (
    <div className="bell">
      <button type="button" className="icon-button" aria-expanded={open} aria-label={unread > 0 ? `Notifications, ${unread} unread` : 'Notifications'} onClick={() => setOpen(!open)}>
        <BellIcon />
        {unread > 0 && (
          <span className="badge" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {open && <NotificationCentre onClose={() => setOpen(false)} />}
    </div>
  );
}

/** Drawn, not an emoji: a machine without an emoji font would show an empty box. */
function BellIcon() {
  return (
    <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}

function NotificationCentre({ onClose }: { onClose(): void }) {
  const { items, query, load, markRead } = useNotificationsStore();
  const byId = useDevicesStore((s) => s.byId);
  const navigate = useAppStore((s) => s.navigate);
  const printers = useMemo(() => Object.values(byId).sort((a, b) => naturalCompare(a.name, b.name)), [byId]);
  const open = (n: AppNotification) => {
    if (!n.read) void markRead({ ids: [n.id] });
    if (n.route) {
      const [route, param] = n.route.split('/');
      navigate(route as Route, param ?? null);
      onClose();
    }
  };
  return (
    <section className="notification-centre" role="dialog" aria-label="Notification centre">
      <div className="section-head">
        <h2>Notifications</h2>
        <button type="button" onClick={() => void markRead({ all: true })}>
          Mark all read
        </button>
        <button type="button" className="icon-button" aria-label="Close notifications" onClick={onClose}>
          ×
        </button>
      </div>
      <BrowserAlertsSwitch />
      <div className="fleet-toolbar">
        <label>
          Printer{' '}
          <select value={query.deviceId ?? ''} onChange={(e) => void load({ ...query, deviceId: e.target.value || undefined })}>
            <option value="">All</option>
            {printers.map((d) => (
              <option key={d.deviceId} value={d.deviceId}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <div role="group" aria-label="Severity" className="chips">
          {LEVELS.map((l) => {
            const on = query.levels?.includes(l.id) ?? false;
            return (
              <button
                key={l.id}
                type="button"
                className="chip"
                aria-pressed={on}
                onClick={() => void load({ ...query, levels: on ? (query.levels ?? []).filter((x) => x !== l.id) : [...(query.levels ?? []), l.id] })}
              >
                {l.label}
              </button>
            );
          })}
        </div>
      </div>
      {items.length === 0 ? (
        <p className="muted">Nothing here.</p>
      ) : (
        <ul className="notification-list">
          {items.map((n) => (
            <li key={n.id} className={`notification level-${n.level}${n.read ? '' : ' unread'}`}>
              <button type="button" onClick={() => open(n)}>
                <strong>{n.title}</strong>
                <span>{n.body}</span>
                <time className="muted small" dateTime={new Date(n.at).toISOString()}>
                  {new Date(n.at).toLocaleString()}
                </time>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
