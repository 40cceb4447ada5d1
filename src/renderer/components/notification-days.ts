import type { AppNotification } from '../../shared/contract';

/**
 * Notifications by day, in the user's own calendar: "Today", "Yesterday", then dates. Plain
 * functions, so the day boundaries are tested without a DOM.
 */

/** Local midnight of the day `at` falls in. */
export function dayStart(at: number): number {
  const d = new Date(at);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** Midnight of the day after; a calendar day, since a day around a clock change is not 24 hours. */
export function nextDayStart(start: number): number {
  const d = new Date(start);
  d.setDate(d.getDate() + 1);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** Midnight `days` days before the day `now` falls in. */
export function daysBefore(now: number, days: number): number {
  const d = new Date(now);
  d.setDate(d.getDate() - days);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

export function dayLabel(start: number, now: number): string {
  if (start === dayStart(now)) return 'Today';
  if (start === daysBefore(now, 1)) return 'Yesterday';
  return new Date(start).toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
}

export interface NotificationDay {
  start: number;
  label: string;
  items: AppNotification[];
  unread: number;
}

/** Consecutive notifications of one day together, in the order given (newest first). */
export function groupByDay(items: readonly AppNotification[], now: number): NotificationDay[] {
  const days: NotificationDay[] = [];
  for (const n of items) {
    const start = dayStart(n.at);
    let day = days[days.length - 1];
    if (!day || day.start !== start) days.push((day = { start, label: dayLabel(start, now), items: [], unread: 0 }));
    day.items.push(n);
    if (!n.read) day.unread++;
  }
  return days;
}

/** The days the centre offers to look at alone: today and the week before it. */
export function recentDays(now: number, count = 8): { start: number; label: string }[] {
  return Array.from({ length: count }, (_, i) => {
    const start = daysBefore(now, i);
    return { start, label: dayLabel(start, now) };
  });
}
