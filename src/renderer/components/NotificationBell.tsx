import { useMemo, useState } from 'react';
import type { AppNotification } from '../../shared/contract';

type NotificationLevel = AppNotification['level'];
import { naturalCompare } from '../fleet/fleet-view';
import { groupByDay, nextDayStart, recentDays } from './notification-days';
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
        {/* Drawn, not an emoji: browsers without an emoji font showed an empty box. */}
        <svg aria-hidden="true" className="bell-icon" width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
          <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
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

function NotificationCentre({ onClose }: { onClose(): void }) {
  const { items, query, more, load, loadOlder, markRead } = useNotificationsStore();
  const byId = useDevicesStore((s) => s.byId);
  const navigate = useAppStore((s) => s.navigate);
  const printers = useMemo(() => Object.values(byId).sort((a, b) => naturalCompare(a.name, b.name)), [byId]);
  // The day labels follow the clock only as far as a reopened centre needs.
  const now = useMemo(() => Date.now(), [items]);
  const days = useMemo(() => groupByDay(items, now), [items, now]);
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
        <label>
          Day{' '}
          <select
            value={query.since ?? ''}
            onChange={(e) => {
              const since = e.target.value === '' ? undefined : Number(e.target.value);
              void load({ ...query, since, before: since === undefined ? undefined : nextDayStart(since) });
            }}
          >
            <option value="">All days</option>
            {recentDays(now).map((d) => (
              <option key={d.start} value={d.start}>
                {d.label}
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
        days.map((day) => (
          <section key={day.start} className="notification-day" aria-label={day.label}>
            <div className="section-head">
              <h3>{day.label}</h3>
              <span className="muted small">{day.unread > 0 ? `${day.unread} unread` : 'All read'}</span>
              {day.unread > 0 && (
                <button type="button" aria-label={`Mark ${day.label.toLowerCase()} read`} onClick={() => void markRead({ ids: day.items.filter((n) => !n.read).map((n) => n.id).slice(0, 500) })}>
                  Mark read
                </button>
              )}
            </div>
            <ul className="notification-list">
              {day.items.map((n) => (
                <li key={n.id} className={`notification level-${n.level}${n.read ? '' : ' unread'}`}>
                  <button type="button" onClick={() => open(n)}>
                    <strong>{n.title}</strong>
                    <span>{n.body}</span>
                    <time className="muted small" dateTime={new Date(n.at).toISOString()}>
                      {new Date(n.at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}
                    </time>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))
      )}
      {more && (
        <button type="button" onClick={() => void loadOlder()}>
          Show older
        </button>
      )}
    </section>
  );
}
