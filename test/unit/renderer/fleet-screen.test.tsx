// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setClient } from '../../../src/renderer/api';
import { useAppStore } from '../../../src/renderer/stores/app-store';
import { FleetView } from '../../../src/renderer/views/fleet/FleetView';
import type { DeviceStatus } from '../../../src/shared/contract';
import { deviceStatus } from '../../support/device-status';
import { fakeClient } from './fake-client';

const job = { name: 'bracket.gcode', progress: 0.5, elapsedSec: 60, remainingSec: 60, taskId: null };
function lab(n: number): DeviceStatus[] {
  return Array.from({ length: n }, (_, i) => deviceStatus(`p${i + 1}`, { name: `Prusa MK4 #${i + 1}`, capabilities: { ...deviceStatus('x').capabilities, pause: true, cancel: true }, job }));
}

function setup(devices: DeviceStatus[]) {
  const fake = fakeClient({ 'devices.watch': () => ({ watching: 0, summaryMs: 5000 }), 'printers.pause': () => ({ done: true }) });
  setClient(fake.client);
  render(<FleetView devices={devices} />);
  return fake;
}

describe('Devices screen at fleet scale', () => {
  afterEach(() => {
    cleanup();
    useAppStore.setState({ route: 'devices', param: null, toasts: [] });
  });

  it('puts only the rows on screen in the DOM, in natural name order, and watches only those', async () => {
    const fake = setup(lab(1000));
    fireEvent.change(screen.getByRole('combobox', { name: /Sort/ }), { target: { value: 'name' } });
    const cards = screen.getAllByRole('article');
    expect(cards.length).toBeGreaterThan(0);
    expect(cards.length).toBeLessThan(100);
    expect(cards.slice(0, 3).map((c) => c.getAttribute('aria-label'))).toEqual(['Prusa MK4 #1', 'Prusa MK4 #2', 'Prusa MK4 #3']);
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'devices.watch')).toBe(true));
    const watched = fake.calls.filter((c) => c.method === 'devices.watch').at(-1)!.payload as { deviceIds: string[] };
    expect(watched.deviceIds.length).toBe(cards.length);
  });

  it('shows a job’s times where the printer reports them, and no line of dashes where it does not', () => {
    setup([
      deviceStatus('timed', { name: 'Timed', job }),
      deviceStatus('untimed', { name: 'Untimed', family: 'cloud', job: { ...job, elapsedSec: null, remainingSec: null } }),
    ]);
    expect(within(screen.getByRole('article', { name: 'Timed' })).getByText(/^Elapsed/)).toBeTruthy();
    expect(within(screen.getByRole('article', { name: 'Untimed' })).queryByText(/^Elapsed/)).toBeNull();
    expect(within(screen.getByRole('article', { name: 'Untimed' })).getByText('50%')).toBeTruthy();
  });

  it('finds one printer by search', () => {
    setup(lab(1000));
    fireEvent.change(screen.getByRole('searchbox'), { target: { value: 'MK4 #734' } });
    expect(screen.getAllByRole('article').map((c) => c.getAttribute('aria-label'))).toEqual(['Prusa MK4 #734']);
  });

  it('moves focus with the arrow keys and opens a printer with Enter', () => {
    setup(lab(50));
    fireEvent.change(screen.getByRole('combobox', { name: /Sort/ }), { target: { value: 'name' } });
    const first = screen.getAllByRole('gridcell')[0]!;
    first.focus();
    fireEvent.keyDown(first, { key: 'ArrowRight' });
    expect(document.activeElement?.getAttribute('data-index')).toBe('1');
    fireEvent.keyDown(document.activeElement!, { key: 'Enter' });
    expect(useAppStore.getState().param).toBe('p2');
  });

  it('pauses several printers after one confirmation that lists them', async () => {
    const fake = setup(lab(10));
    fireEvent.change(screen.getByRole('combobox', { name: /Sort/ }), { target: { value: 'name' } });
    for (const n of [1, 2, 3]) fireEvent.click(screen.getByRole('checkbox', { name: `Select Prusa MK4 #${n}` }));
    fireEvent.click(screen.getByRole('button', { name: 'Pause (3)' }));
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Prusa MK4 #1', 'Prusa MK4 #2', 'Prusa MK4 #3']);
    expect(fake.calls.filter((c) => c.method === 'printers.pause')).toHaveLength(0);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Pause 3' }));
    await waitFor(() => expect(fake.calls.filter((c) => c.method === 'printers.pause').map((c) => (c.payload as { deviceId: string }).deviceId)).toEqual(['p1', 'p2', 'p3']));
  });
});
