// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { QueueJob } from '../../../src/shared/contract';
import { setClient } from '../../../src/renderer/api';
import { useAppStore } from '../../../src/renderer/stores/app-store';
import { App } from '../../../src/renderer/views/App';
import { APP_INFO, fakeClient } from './fake-client';

const EMPTY = {
  'app.info': () => APP_INFO,
  'connections.list': () => [],
  'devices.list': () => [],
  'printers.transfers': () => [],
  'discovery.list': () => [],
  'demo.state': () => ({ running: false, simulators: [] }),
};

function job(id: string, fileName: string, patch: Partial<QueueJob> = {}): QueueJob {
  return {
    id,
    fileName,
    size: 100,
    facts: { format: 'gcode', machineId: null, slicerPrinter: null, nozzleMm: null, extentsMm: null },
    target: { kind: 'any' },
    priority: 0,
    position: 1,
    held: false,
    state: 'queued',
    copyIndex: 1,
    copyCount: 1,
    requeueOnFailure: false,
    attempts: 0,
    deviceId: null,
    deviceName: null,
    waitReason: 'Waiting: the bed of Nano has not been cleared.',
    lastError: null,
    createdAt: 0,
    startedAt: null,
    endedAt: null,
    ...patch,
  };
}

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

describe('queue and history screens', () => {
  afterEach(() => {
    cleanup();
    useAppStore.setState({ route: 'devices', toasts: [] });
  });

  it('shows why a job waits, and reorders with Alt+Up and the arrow buttons', async () => {
    const fake = fakeClient({
      ...EMPTY,
      'queue.list': () => ({ jobs: [job(A, 'a.gcode'), job(B, 'b.gcode')], printers: [], revision: 1 }),
      'queue.move': () => job(B, 'b.gcode'),
      'queue.hold': () => job(A, 'a.gcode', { held: true }),
    });
    setClient(fake.client);
    render(<App />);
    fireEvent.click(screen.getByRole('link', { name: 'Queue' }));
    expect(await screen.findByRole('heading', { name: 'Print queue', level: 1 })).toBeTruthy();
    const rows = await screen.findAllByTestId('queue-row');
    expect(rows[0]!.textContent).toContain('the bed of Nano has not been cleared');
    fireEvent.keyDown(rows[1]!, { key: 'ArrowUp', altKey: true });
    await waitFor(() =>
      expect(fake.calls.find((c) => c.method === 'queue.move')?.payload).toEqual({ id: B, beforeId: A }),
    );
    fireEvent.click(within(rows[0]!).getByRole('button', { name: 'Move a.gcode down' }));
    await waitFor(() =>
      expect(fake.calls.filter((c) => c.method === 'queue.move').at(-1)?.payload).toEqual({ id: A, beforeId: null }),
    );
    fireEvent.click(within(rows[0]!).getByRole('button', { name: 'Hold' }));
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'queue.hold')).toBe(true));
  });

  it('draws the history with a bar per bucket and offers the CSV', async () => {
    const row = {
      bucketStart: Date.UTC(2026, 10, 2),
      prints: 3,
      succeeded: 2,
      failed: 1,
      cancelled: 0,
      printHours: 5,
      filamentMm: 2000,
      utilisationPct: 10,
      successPct: 66.67,
    };
    const fake = fakeClient({
      ...EMPTY,
      'queue.list': () => ({ jobs: [], printers: [], revision: 0 }),
      'history.stats': () => ({ bucket: 'day', printers: 2, rows: [row], total: row }),
      'history.list': () => ({
        records: [
          {
            id: 1,
            deviceId: 'd',
            printerName: 'Nano',
            family: 'xyz',
            fileName: 'cube.gcode',
            origin: 'queue',
            startedAt: 0,
            endedAt: 1000,
            durationSec: 1,
            outcome: 'failed',
            reason: 'Clogged',
            filamentMm: null,
            queueJobId: null,
            importedFrom: null,
          },
          {
            id: 2,
            deviceId: 'm',
            printerName: 'Voron',
            family: 'moonraker',
            fileName: 'voron-cube.gcode',
            origin: 'printer',
            startedAt: 0,
            endedAt: 1000,
            durationSec: 1,
            outcome: 'success',
            reason: null,
            filamentMm: 900,
            queueJobId: null,
            importedFrom: 'moonraker',
          },
        ],
        total: 2,
      }),
    });
    setClient(fake.client);
    render(<App />);
    fireEvent.click(screen.getByRole('link', { name: 'History' }));
    expect(await screen.findByRole('heading', { name: 'Print history', level: 1 })).toBeTruthy();
    expect((await screen.findByRole('img')).getAttribute('aria-label')).toMatch(/Prints per day: .* 3/);
    expect(screen.getByText('cube.gcode')).toBeTruthy();
    // A print imported from Klipper's own history says where it came from.
    expect(screen.getByRole('row', { name: /voron-cube\.gcode/ }).textContent).toContain('from Klipper');
    expect(screen.getByText('66.67%')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Download CSV' })).toBeTruthy();
  });
});
