import { describe, expect, it } from 'vitest';
import type { AppNotification } from '../../../src/shared/contract';
import { dayLabel, dayStart, groupByDay, nextDayStart, recentDays } from '../../../src/renderer/components/notification-days';

/** A local time, so the tests hold in any time zone. */
const at = (y: number, m: number, d: number, h = 12, min = 0) => new Date(y, m - 1, d, h, min).getTime();
const note = (id: string, when: number, read = false): AppNotification => ({ id, level: 'info', title: id, body: '', route: null, at: when, deviceId: null, read });

describe('notifications by day', () => {
  const now = at(2026, 12, 4, 9, 30);

  it('names today and yesterday by the local calendar, earlier days by date', () => {
    expect(dayLabel(dayStart(at(2026, 12, 4, 0, 0)), now)).toBe('Today');
    expect(dayLabel(dayStart(at(2026, 12, 3, 23, 59)), now)).toBe('Yesterday');
    expect(dayLabel(dayStart(at(2026, 12, 3, 0, 0)), now)).toBe('Yesterday');
    const earlier = dayLabel(dayStart(at(2026, 12, 2, 23, 59)), now);
    expect(earlier).not.toMatch(/Today|Yesterday/);
    expect(earlier).toContain('2');
  });

  it('groups consecutive notifications of a day, newest first, counting the unread', () => {
    const items = [note('a', at(2026, 12, 4, 8)), note('b', at(2026, 12, 3, 23, 59), true), note('c', at(2026, 12, 3, 0, 1)), note('d', at(2026, 11, 30))];
    const days = groupByDay(items, now);
    expect(days.map((d) => [d.label === 'Today' || d.label === 'Yesterday' ? d.label : 'date', d.items.map((n) => n.id), d.unread])).toEqual([
      ['Today', ['a'], 1],
      ['Yesterday', ['b', 'c'], 1],
      ['date', ['d'], 1],
    ]);
  });

  it('offers today and the week before as whole calendar days, across a month end', () => {
    const days = recentDays(at(2027, 3, 1, 0, 10));
    expect(days).toHaveLength(8);
    expect(days.slice(0, 2).map((d) => d.label)).toEqual(['Today', 'Yesterday']);
    expect(days[1]!.start).toBe(at(2027, 2, 28, 0, 0));
    for (const d of days) expect(new Date(nextDayStart(d.start)).getHours()).toBe(0);
    expect(nextDayStart(days[1]!.start)).toBe(days[0]!.start);
  });
});
