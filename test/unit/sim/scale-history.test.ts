import { describe, expect, it } from 'vitest';
import { HISTORY_DAYS, scaleDemoHistory } from '../../../sim/demo/scale-history';
import { scaleLab } from '../../../sim/demo/scale-plan';

describe('the past days of a demo lab at scale', () => {
  const now = new Date(2026, 11, 4, 15, 0).getTime();
  const midnight = new Date(2026, 11, 4).getTime();
  const yesterday = new Date(2026, 11, 3).getTime();
  const history = scaleDemoHistory(1000, now);

  it('goes back some days, never past now, oldest first, about printers of the lab', () => {
    expect(history.length).toBeGreaterThan(100);
    expect(Math.min(...history.map((n) => n.at))).toBeGreaterThanOrEqual(new Date(2026, 11, 4 - HISTORY_DAYS).getTime());
    expect(history.every((n) => n.at < now)).toBe(true);
    expect(history.map((n) => n.at)).toEqual([...history.map((n) => n.at)].sort((a, b) => a - b));
    const ids = new Set(scaleLab(1000).map((p) => p.id));
    expect(history.every((n) => n.simulatorId !== null && ids.has(n.simulatorId))).toBe(true);
  });

  it('has yesterday the failures of the printers failing now, unread; days before are read', () => {
    const failing = scaleLab(1000).filter((p) => p.role === 'failing');
    const failedYesterday = new Set(history.filter((n) => n.level === 'error' && n.at >= yesterday && n.at < midnight).map((n) => n.simulatorId));
    for (const p of failing) expect(failedYesterday.has(p.id)).toBe(true);
    expect(history.filter((n) => n.at >= yesterday).every((n) => !n.read)).toBe(true);
    expect(history.filter((n) => n.at < yesterday).every((n) => n.read)).toBe(true);
    expect(new Set(history.map((n) => n.level))).toEqual(new Set(['success', 'error', 'warning', 'info']));
  });

  it('is the same past for the same lab and day, and none for no printers', () => {
    expect(scaleDemoHistory(1000, now)).toEqual(history);
    expect(scaleDemoHistory(0, now)).toEqual([]);
  });
});
