// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setClient } from '../../../src/renderer/api';
import { useAppStore } from '../../../src/renderer/stores/app-store';
import { App } from '../../../src/renderer/views/App';
import { APP_INFO, fakeClient } from './fake-client';

const HOUR = 3_600_000;
const connection = { id: 'c1', kind: 'armory', name: 'My cloud', address: 'grpc://cloud.invalid:443', options: {}, hasSecret: true, origin: 'user', createdAt: 1, updatedAt: 1 };
const account = {
  connectionId: 'c1', name: 'My cloud', address: 'grpc://cloud.invalid:443', account: 'maker@example.invalid', state: 'signed-in', message: null,
  expiresAt: null, passwordSaved: true, demoHint: null, deviceCount: 1, syncedAt: null, syncProblem: null,
};
const cloudPrinter = {
  deviceId: 'armory:c1:SN0001', connectionId: 'c1', family: 'cloud', name: 'X1C bench', model: 'X1 Carbon', serial: 'SN0001', firmware: null,
  link: 'online', state: 'printing', stateText: 'Printing',
  job: { name: 'Benchy', progress: 0.4, elapsedSec: null, remainingSec: null, taskId: '900719925474099312' },
  temperatures: [], filament: null, problem: { code: 'cloud-unreachable', message: 'The cloud does not answer, so this is the last state it reported.' },
  capabilities: { print: false, pause: false, cancel: false, jog: false, home: false, loadFilament: false, unloadFilament: false, calibrate: false, camera: false, files: false, terminal: false },
  updatedAt: Date.now(), lastSeenAt: Date.now() - 35_000,
};
const task = (id: string, status: { code: number; label: string; tone: string }, durationSec: number) => ({
  id, title: `Part ${id.slice(-1)}`, coverId: null, status, startTime: new Date(Date.now() - HOUR).toISOString(), endTime: null, durationSec,
  estimatedSec: null, weightGrams: null, devId: 'SN0001', deviceName: 'X1C bench', mode: 'cloud_file',
});
const ANSWERS = {
  'app.info': () => APP_INFO,
  'connections.list': () => [connection],
  'devices.list': () => [cloudPrinter],
  'printers.transfers': () => [],
  'discovery.list': () => [],
  'demo.state': () => ({ running: false, simulators: [] }),
  'printers.temperatureHistory': () => ({ samples: [] }),
  'cloud.accounts': () => [account],
  'cloud.history': () => ({
    total: 2,
    nextCursor: null,
    tasks: [task('900719925474099312', { code: 4, label: 'Printing', tone: 'running' }, 3600), task('900719925474099311', { code: 2, label: 'Finished', tone: 'ok' }, 1800)],
  }),
  'cloud.updates': () => ({
    updates: [
      { type: 'software', version: '2.3.1.5', description: '', url: null, forceUpdate: false },
      { type: 'slicer/plugins/cloud', version: '02.03.00.07', description: '', url: null, forceUpdate: true },
    ],
  }),
};

describe('cloud printers as a person sees them', () => {
  afterEach(() => {
    cleanup();
    useAppStore.setState({ route: 'devices', param: null, toasts: [] });
  });

  it('a stale cloud card says "last seen", not Offline and not a live "Printing"; no task id', async () => {
    setClient(fakeClient(ANSWERS).client);
    render(<App />);
    const card = await screen.findByRole('article', { name: 'X1C bench' });
    expect(card.textContent).toMatch(/Printing \(stale\)/);
    expect(card.textContent).toMatch(/Not live: last seen \d+ (s|min) ago/);
    expect(card.textContent).not.toMatch(/Offline/);
    expect(card.textContent).not.toContain('900719925474099312');
  });

  it('the cloud printer page has no blank chart, shows its history with time so far, and links to the account', async () => {
    setClient(fakeClient(ANSWERS).client);
    useAppStore.setState({ route: 'devices', param: 'armory:c1:SN0001' });
    render(<App />);
    expect(await screen.findByRole('heading', { name: 'X1C bench', level: 1 })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Temperatures' })).toBeNull();
    const history = await screen.findByRole('list', { name: 'Print history' });
    const items = await within(history).findAllByRole('listitem');
    expect(items[0]!.textContent).toMatch(/Printing for 1 h 00 min so far/);
    expect(items[0]!.textContent).not.toMatch(/Took/);
    expect(items[1]!.textContent).toMatch(/Took 30 min/);
    expect(history.textContent).not.toContain('900719925474099');
    fireEvent.click(screen.getByRole('link', { name: /Open the cloud account/ }));
    expect(await screen.findByRole('heading', { name: 'Cloud', level: 1 })).toBeTruthy();
  });

  it('the slicer downloads are named for what they are, not "Updates"', async () => {
    setClient(fakeClient(ANSWERS).client);
    useAppStore.setState({ route: 'cloud', param: null });
    render(<App />);
    expect(screen.queryByRole('tab', { name: 'Updates' })).toBeNull();
    fireEvent.click(await screen.findByRole('tab', { name: 'Slicer downloads' }));
    const list = await screen.findByRole('list', { name: 'Slicer downloads' });
    await within(list).findByText('Slicer network plugin');
    expect(list.textContent).toContain('Bambu Studio (slicer)');
    expect(list.textContent).not.toContain('slicer/plugins/cloud');
  });
});
