// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
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
  'printers.temperatureHistory': () => ({ samples: [] }),
};

const printing = {
  deviceId: 'xyz:1', connectionId: '1', family: 'xyz', name: 'Nano', model: 'da Vinci nano', serial: null, firmware: null,
  link: 'online', state: 'printing', stateText: 'Printing',
  job: { name: 'benchy.3w', progress: 0.5, elapsedSec: 60, remainingSec: 60, taskId: null },
  temperatures: [], filament: null, problem: null,
  capabilities: { print: true, pause: true, cancel: true, jog: false, home: true, loadFilament: true, unloadFilament: false, calibrate: true, camera: false, files: false, terminal: false },
  updatedAt: Date.now(),
};

function open(device: object, answers: Record<string, (p: unknown) => unknown> = {}) {
  const fake = fakeClient({ ...EMPTY, 'devices.list': () => [device], ...answers });
  setClient(fake.client);
  useAppStore.setState({ route: 'devices', param: (device as { deviceId: string }).deviceId });
  render(<App />);
  return fake;
}

const button = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement;

describe('device page', () => {
  afterEach(() => {
    cleanup();
    useAppStore.setState({ route: 'devices', param: null, toasts: [] });
  });

  it('asks in words before stopping a print, and [Keep printing] keeps it', async () => {
    const fake = open(printing, { 'printers.cancel': () => ({ done: true }) });
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel print' }));
    const dialog = screen.getByRole('dialog', { name: 'Stop the print on Nano?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Keep printing' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(fake.calls.some((c) => c.method === 'printers.cancel')).toBe(false);
    fireEvent.click(button('Cancel print'));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Stop print' }));
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'printers.cancel')).toBe(true));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('a finished job says how long it took, not "Elapsed 0 s"', async () => {
    open({ ...printing, state: 'done', stateText: 'Done', job: { name: 'benchy.3w', progress: 1, elapsedSec: 600, remainingSec: 0, taskId: null } });
    await screen.findByRole('heading', { name: 'Nano', level: 1 });
    expect(screen.getByText('Took').nextElementSibling?.textContent).toBe('10 min');
    expect(screen.queryByText('Elapsed')).toBeNull();
    expect(screen.queryByText('0 s')).toBeNull();
  });

  it('shows the last job of a printer out of reach as stale, with no live controls', async () => {
    open({ ...printing, link: 'offline', state: 'offline', stateText: 'Offline', lastSeenAt: Date.now() - 60_000, capabilities: { ...printing.capabilities, pause: false, cancel: false } });
    await screen.findByRole('heading', { name: 'Nano', level: 1 });
    expect(screen.getByText('benchy.3w')).toBeTruthy();
    expect(screen.queryByText('No print running.')).toBeNull();
    expect(screen.getByText(/Out of reach since .*: this is the job it was on then/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Pause' })).toBeNull();
  });

  it('marks everything stale and disables controls while the host is lost, until it reconnects', async () => {
    const fake = open(printing);
    await screen.findByRole('heading', { name: 'Nano', level: 1 });
    expect(button('Pause').disabled).toBe(false);
    act(() => fake.setStatus('closed'));
    expect(screen.getByText('Not current')).toBeTruthy();
    expect(button('Pause').disabled).toBe(true);
    expect(button('Cancel print').disabled).toBe(true);
    expect(button('Print a file…').disabled).toBe(true);
    expect(screen.getByText(/Not connected to Printdeck/)).toBeTruthy();
    act(() => fake.setStatus('open'));
    await waitFor(() => expect(button('Pause').disabled).toBe(false));
    expect(screen.queryByText('Not current')).toBeNull();
  });

  it('shows the step a guided maintenance flow waits for, and its toast does not say "done"', async () => {
    const idle = { ...printing, state: 'idle', stateText: 'Idle', job: null };
    const fake = open(idle, { 'printers.maintenance': () => ({ done: true }) });
    fireEvent.click(await screen.findByRole('button', { name: 'Calibrate' }));
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'printers.maintenance')).toBe(true));
    await waitFor(() => expect(useAppStore.getState().toasts.map((t) => t.title)).toContain('Calibrate started on Nano'));
    expect(useAppStore.getState().toasts.some((t) => /done/.test(t.title))).toBe(false);
    act(() =>
      fake.emit([{ name: 'devices.delta', payload: { ...idle, state: 'busy', stateText: 'Calibrating: lower the detector onto the bed, then press Calibrate again', updatedAt: Date.now() } }]),
    );
    expect((await screen.findByText('The printer is on:')).parentElement?.textContent).toMatch(/lower the detector onto the bed/);
  });
});

describe('an OctoPrint page', () => {
  afterEach(() => {
    cleanup();
    useAppStore.setState({ route: 'devices', param: null, toasts: [] });
  });

  it('has one jog pad: the generic maintenance panel leaves jog and home to OctoPrint’s own', async () => {
    const octoprint = {
      ...printing, deviceId: 'octoprint:c1', connectionId: 'c1', family: 'octoprint', name: 'Ender', model: 'OctoPrint', state: 'idle', stateText: 'Operational', job: null,
      capabilities: { ...printing.capabilities, jog: true, home: true, loadFilament: false, unloadFilament: false, calibrate: false, terminal: true, files: true },
    };
    open(octoprint, { 'octoprint.details': () => null });
    await screen.findByRole('heading', { name: 'Ender', level: 1 });
    expect(screen.getAllByRole('group', { name: 'X and Y' })).toHaveLength(1);
    expect(screen.queryByRole('group', { name: 'Jog' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Home axes' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Home X and Y' })).toBeTruthy();
  });
});

describe('printing a file', () => {
  afterEach(() => {
    cleanup();
    useAppStore.setState({ route: 'devices', param: null, toasts: [] });
  });

  const idle = { ...printing, state: 'idle', stateText: 'Idle', job: null };
  const staging = {
    'files.stageBegin': () => ({ stagedId: '00000000-0000-4000-8000-000000000001', chunkBytes: 512 * 1024 }),
    'files.stageChunk': () => ({ received: 1 }),
    'files.stageFinish': () => ({ stagedId: '00000000-0000-4000-8000-000000000001', size: 1, sha256: 'x' }),
    'files.stageCancel': () => ({ done: true }),
    'printers.print': () => ({ transferId: 't1' }),
  };
  const mismatch = {
    verdict: 'mismatch',
    slicedFor: 'XYZprinting da Vinci Jr. 1.0w',
    slicer: 'Cura',
    message: 'jr.gcode was sliced for XYZprinting da Vinci Jr. 1.0w (Cura), but Nano is a da Vinci nano.',
  };
  const pick = (name: string) =>
    fireEvent.change(screen.getByLabelText('File to print'), { target: { files: [new File([';MACHINE_NAME:x\nG28\n'], name)] } });

  it('asks before printing, naming the file, the printer and a model mismatch; [Don’t print] sends nothing', async () => {
    const fake = open(idle, { ...staging, 'printers.checkFile': () => mismatch });
    await screen.findByRole('heading', { name: 'Nano', level: 1 });
    pick('jr.gcode');
    const dialog = await screen.findByRole('dialog', { name: 'Print jr.gcode on Nano?' });
    expect(within(dialog).getByRole('alert').textContent).toMatch(/Sliced for another printer.*Jr\. 1\.0w/);
    expect(fake.calls.find((c) => c.method === 'printers.checkFile')?.payload).toMatchObject({ deviceId: 'xyz:1', file: { kind: 'staged' }, name: 'jr.gcode' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Don’t print' }));
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'files.stageCancel')).toBe(true));
    expect(fake.calls.some((c) => c.method === 'printers.print')).toBe(false);

    pick('jr.gcode');
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Print anyway' }));
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'printers.print')).toBe(true));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('a matching file is confirmed with a plain [Print]', async () => {
    const fake = open(idle, { ...staging, 'printers.checkFile': () => ({ ...mismatch, verdict: 'match', message: 'nano.gcode was sliced for da Vinci nano, which is what Nano is.' }) });
    await screen.findByRole('heading', { name: 'Nano', level: 1 });
    pick('nano.gcode');
    const dialog = await screen.findByRole('dialog', { name: 'Print nano.gcode on Nano?' });
    expect(within(dialog).queryByRole('alert')).toBeNull();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Print' }));
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'printers.print')).toBe(true));
  });
});

describe('getting to a connection', () => {
  afterEach(() => {
    cleanup();
    useAppStore.setState({ route: 'devices', param: null, toasts: [] });
  });

  const octoprint = { id: 'c9', kind: 'octoprint', name: 'Ender', address: 'http://octopi.local', options: {}, hasSecret: false, origin: 'user', createdAt: 1, updatedAt: 1 };

  it('"Connect a printer" opens the add form', async () => {
    setClient(fakeClient(EMPTY).client);
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Connect a printer' }));
    expect(await screen.findByRole('form', { name: 'Add connection' })).toBeTruthy();
  });

  it('"Pair in Settings" opens pairing on that connection’s row and focuses it', async () => {
    const revoked = { ...printing, deviceId: 'octoprint:c9', connectionId: 'c9', family: 'octoprint', name: 'Ender', link: 'error', state: 'error', stateText: 'Error', job: null, problem: { code: 'octoprint.keyInvalid', message: 'API key no longer valid' } };
    open(revoked, { 'connections.list': () => [octoprint], 'octoprint.pairCancel': () => ({ done: true }) });
    fireEvent.click(await screen.findByRole('link', { name: 'Pair in Settings' }));
    const pairing = await screen.findByRole('form', { name: 'Pair with Application Keys' });
    await waitFor(() => expect(document.activeElement?.contains(pairing)).toBe(true));
  });

  it('adding an OctoPrint without a key goes straight on to pairing', async () => {
    const fake = fakeClient({ ...EMPTY, 'connections.add': () => octoprint, 'octoprint.pairCancel': () => ({ done: true }) });
    // Main announces the new list as it does after every change.
    const added = () => fake.emit([{ name: 'connections.changed', payload: { connections: [octoprint] } }]);
    setClient(fake.client);
    useAppStore.setState({ route: 'settings', param: 'add' });
    render(<App />);
    const form = await screen.findByRole('form', { name: 'Add connection' });
    fireEvent.change(within(form).getByLabelText('Kind'), { target: { value: 'octoprint' } });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'Ender' } });
    fireEvent.change(within(form).getByLabelText('Address'), { target: { value: 'octopi.local' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add' }));
    await waitFor(() => expect(fake.calls.find((c) => c.method === 'connections.add')?.payload).toMatchObject({ address: 'octopi.local' }));
    act(() => added());
    expect(await screen.findByRole('form', { name: 'Pair with Application Keys' })).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'Add connection' })).toBeNull();
  });
});
