import { describe, expect, it } from 'vitest';
import { fleetRows, groupOf, matchesFilter, moveFocus, rowOffsets, visibleByOffsets, naturalCompare, needsAttention, NO_FILTER, stableOrder, visibleRows, type SortBy } from '../../../src/renderer/fleet/fleet-view';
import { deviceStatus } from '../../support/device-status';

describe('fleet view', () => {
  it('sorts names naturally', () => {
    expect(['P1S #10', 'p1s #5', 'P1S #1', 'A1 mini #2'].sort(naturalCompare)).toEqual(['A1 mini #2', 'P1S #1', 'p1s #5', 'P1S #10']);
  });

  it('searches name, model and file, and filters by state group and family', () => {
    const printing = deviceStatus('a', { name: 'Prusa MK4 #3', model: 'MK4', job: { name: 'bracket.gcode', progress: 0.2, elapsedSec: 1, remainingSec: 5, taskId: null } });
    const failed = deviceStatus('b', { name: 'Voron #1', family: 'moonraker', state: 'error', stateText: 'Shutdown', job: null, problem: { code: 'x', message: 'MCU shutdown' } });
    const offline = deviceStatus('c', { name: 'Ender #2', link: 'offline', state: 'idle', job: null });
    expect(matchesFilter(printing, { ...NO_FILTER, query: 'bracket' })).toBe(true);
    expect(matchesFilter(printing, { ...NO_FILTER, query: 'mk4' })).toBe(true);
    expect(matchesFilter(failed, { ...NO_FILTER, query: 'mk4' })).toBe(false);
    expect([printing, failed, offline].filter(needsAttention).map((d) => d.deviceId)).toEqual(['b', 'c']);
    expect([printing, failed, offline].filter((d) => matchesFilter(d, { ...NO_FILTER, states: ['attention'] })).map((d) => d.deviceId)).toEqual(['b', 'c']);
    expect([printing, failed, offline].filter((d) => matchesFilter(d, { ...NO_FILTER, states: ['printing'] })).map((d) => d.deviceId)).toEqual(['a']);
    expect([printing, failed, offline].filter((d) => matchesFilter(d, { ...NO_FILTER, family: 'moonraker' })).map((d) => d.deviceId)).toEqual(['b']);
  });

  it('keeps the order it had when the sort was chosen while statuses change', () => {
    const job = (progress: number) => ({ name: 'f', progress, elapsedSec: 1, remainingSec: 100 - progress * 100, taskId: null });
    const fleet = [deviceStatus('a', { name: 'A', job: job(0.9) }), deviceStatus('b', { name: 'B', job: job(0.5) }), deviceStatus('c', { name: 'C', job: job(0.1) })];
    const keys = new Map();
    const by: SortBy = 'progress';
    expect(stableOrder(fleet, by, keys)).toEqual(['a', 'b', 'c']);
    // C jumps ahead and A fails: nothing moves until the sort is chosen again.
    const later = [{ ...fleet[0]!, state: 'error' as const, job: null }, fleet[1]!, { ...fleet[2]!, job: job(0.99) }];
    expect(stableOrder(later, by, keys)).toEqual(['a', 'b', 'c']);
    expect(stableOrder(later, by, new Map())).toEqual(['c', 'b', 'a']);
    // A new printer takes its place by the key it arrives with; a gone one leaves.
    expect(stableOrder([...later.slice(1), deviceStatus('d', { name: 'D', job: job(0.7) })], by, keys)).toEqual(['d', 'b', 'c']);
  });

  it('sorts by name naturally and by state with problems first', () => {
    const fleet = [deviceStatus('1', { name: 'P1S #10' }), deviceStatus('2', { name: 'P1S #5', state: 'error', problem: { code: 'e', message: 'jam' } }), deviceStatus('3', { name: 'P1S #9' })];
    expect(stableOrder(fleet, 'name', new Map())).toEqual(['2', '3', '1']);
    expect(stableOrder(fleet, 'state', new Map())).toEqual(['2', '3', '1']);
  });

  it('computes the rows on screen of a virtual list', () => {
    expect(visibleRows(0, 500, 100, 1000, 0)).toEqual({ first: 0, last: 4 });
    expect(visibleRows(10_000, 500, 100, 1000, 2)).toEqual({ first: 98, last: 106 });
    expect(visibleRows(99_900, 500, 100, 1000, 2)).toEqual({ first: 997, last: 999 });
    expect(visibleRows(0, 500, 100, 0)).toEqual({ first: 0, last: -1 });
  });

  it('moves focus across a grid with the arrow keys, staying inside it', () => {
    expect(moveFocus(0, 'ArrowRight', 4, 10)).toBe(1);
    expect(moveFocus(1, 'ArrowDown', 4, 10)).toBe(5);
    expect(moveFocus(5, 'ArrowUp', 4, 10)).toBe(1);
    expect(moveFocus(8, 'ArrowDown', 4, 10)).toBe(8);
    expect(moveFocus(0, 'ArrowLeft', 4, 10)).toBe(0);
    expect(moveFocus(3, 'End', 4, 10)).toBe(9);
    expect(moveFocus(3, 'a', 4, 10)).toBeNull();
  });

  it('groups by room with headers and counts, rooms in natural order and the ungrouped last; collapsed groups keep their header only', () => {
    const rooms: Record<string, string[]> = { a: ['Room 10'], b: ['Room 2'], c: [], d: ['Room 2', 'PETG'] };
    const rows = fleetRows(['a', 'b', 'c', 'd'], 2, (id) => groupOf(rooms[id]), new Set(['Room 10']));
    expect(rows).toEqual([
      { kind: 'header', group: 'PETG', count: 1, collapsed: false },
      { kind: 'cells', items: ['d'], firstIndex: 0 },
      { kind: 'header', group: 'Room 2', count: 1, collapsed: false },
      { kind: 'cells', items: ['b'], firstIndex: 1 },
      { kind: 'header', group: 'Room 10', count: 1, collapsed: true },
      { kind: 'header', group: null, count: 1, collapsed: false },
      { kind: 'cells', items: ['c'], firstIndex: 2 },
    ]);
    expect(fleetRows(['a', 'b', 'c'], 2, null, new Set())).toEqual([
      { kind: 'cells', items: ['a', 'b'], firstIndex: 0 },
      { kind: 'cells', items: ['c'], firstIndex: 2 },
    ]);
  });

  it('finds the rows on screen among rows of different heights', () => {
    const offsets = rowOffsets([40, 200, 200, 40, 200]);
    expect(offsets).toEqual([0, 40, 240, 440, 480, 680]);
    expect(visibleByOffsets(offsets, 0, 100, 0)).toEqual({ first: 0, last: 1 });
    expect(visibleByOffsets(offsets, 450, 100, 0)).toEqual({ first: 3, last: 4 });
    expect(visibleByOffsets(offsets, 450, 100, 5)).toEqual({ first: 0, last: 4 });
  });
});
