// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setClient } from '../../../src/renderer/api';
import { dayStart, daysBefore } from '../../../src/renderer/components/notification-days';
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
  'devices.tags': () => ({ tags: [] }),
  'notifications.list': () => [],
  'notifications.unread': () => ({ unread: 0 }),
};

describe('renderer shell', () => {
  afterEach(() => {
    cleanup();
    useAppStore.setState({ route: 'devices', toasts: [] });
  });

  it('greets a new user with the two ways forward', async () => {
    const fake = fakeClient({ ...EMPTY, 'demo.start': () => ({ running: true, simulators: [] }) });
    setClient(fake.client);
    render(<App />);
    expect(await screen.findByRole('heading', { name: 'No printers yet' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Try the demo fleet' }));
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'demo.start')).toBe(true));
    fireEvent.click(screen.getByRole('button', { name: 'Connect a printer' }));
    expect(await screen.findByRole('heading', { name: 'Settings' })).toBeTruthy();
  });

  it('renders every screen without a render loop', async () => {
    const fake = fakeClient(EMPTY);
    setClient(fake.client);
    render(<App />);
    for (const [link, heading] of [['Cloud', 'Cloud'], ['Chat', 'Chat'], ['Uploads', 'Uploads'], ['Settings', 'Settings'], ['Devices', 'No printers yet']]) {
      fireEvent.click(screen.getByRole('link', { name: link }));
      expect(await screen.findByRole('heading', { name: heading, level: link === 'Devices' ? 2 : 1 })).toBeTruthy();
    }
  });

  it('shows a disconnected banner while the host is gone and re-reads state on reconnect', async () => {
    const fake = fakeClient(EMPTY);
    setClient(fake.client);
    render(<App />);
    await screen.findByRole('heading', { name: 'No printers yet' });
    const before = fake.calls.filter((c) => c.method === 'connections.list').length;
    act(() => fake.setStatus('closed'));
    expect(screen.getByRole('alert').textContent).toMatch(/Disconnected from Printdeck/);
    act(() => fake.setStatus('open'));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    await waitFor(() => expect(fake.calls.filter((c) => c.method === 'connections.list').length).toBe(before + 1));
  });

  it('shows the server’s validation message next to the form, and keeps what was typed', async () => {
    const fake = fakeClient({ ...EMPTY });
    // connections.add answers with the registrar's error shape.
    (fake.client as unknown as { call: unknown }).call = async (method: string) =>
      method === 'connections.add'
        ? { ok: false, error: { code: 'BAD_REQUEST', message: 'A xyz connection needs an address like tcp://…', detail: 'address' } }
        : method in EMPTY
          ? { ok: true, value: (EMPTY as Record<string, () => unknown>)[method]!() }
          : { ok: false, error: { code: 'UNKNOWN_METHOD', message: `no fake for ${method}` } };
    setClient(fake.client);
    useAppStore.setState({ route: 'settings' });
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Add connection' }));
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Nano' } });
    fireEvent.change(screen.getByLabelText('Address'), { target: { value: 'nonsense' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/needs an address like/);
    expect((screen.getByLabelText('Address') as HTMLInputElement).value).toBe('nonsense');
    expect(screen.getByLabelText('Address').getAttribute('aria-invalid')).toBe('true');
  });

  it('lists device cards with problems first when devices report', async () => {
    const fake = fakeClient({ ...EMPTY, 'connections.list': () => [] });
    setClient(fake.client);
    render(<App />);
    await screen.findByRole('heading', { name: 'No printers yet' });
    const base = {
      connectionId: 'c', family: 'xyz', model: 'da Vinci nano', serial: null, firmware: null, link: 'online',
      temperatures: [{ sensor: 'nozzle', actual: 210, target: 210 }], filament: null, problem: null,
      capabilities: { print: true, pause: true, cancel: true, jog: false, home: false, loadFilament: false, unloadFilament: false, calibrate: false, camera: false, files: false, terminal: false },
      updatedAt: 1,
    };
    act(() =>
      fake.emit([
        { name: 'devices.delta', payload: { ...base, deviceId: 'a', name: 'Alpha', state: 'printing', stateText: 'Printing', job: { name: 'benchy', progress: 0.42, elapsedSec: 600, remainingSec: 900, taskId: null } } },
        { name: 'devices.delta', payload: { ...base, deviceId: 'b', name: 'Bravo', state: 'error', stateText: 'Error', job: null, problem: { code: '0x0201', message: 'Nozzle heater fault' } } },
      ]),
    );
    const cards = await screen.findAllByRole('article');
    expect(cards.map((c) => c.getAttribute('aria-label'))).toEqual(['Bravo', 'Alpha']);
    expect(screen.getByText('Nozzle heater fault')).toBeTruthy();
    expect(screen.getByRole('progressbar', { name: 'Alpha print progress' }).getAttribute('aria-valuenow')).toBe('42');
  });
});

describe('device page', () => {
  afterEach(() => {
    cleanup();
    useAppStore.setState({ route: 'devices', param: null, toasts: [] });
  });

  const device = {
    deviceId: 'xyz:1', connectionId: '1', family: 'xyz', name: 'Nano', model: 'da Vinci nano', serial: '3FNAXP', firmware: '3.2.0',
    link: 'online', state: 'printing', stateText: 'Printing',
    job: { name: 'benchy.3w', progress: 0.5, elapsedSec: 60, remainingSec: 60, taskId: null },
    temperatures: [{ sensor: 'nozzle', actual: 205, target: 210 }], filament: { remainingMm: 120_000, totalMm: 300_000, material: 'PLA' }, problem: null,
    capabilities: { print: true, pause: true, cancel: true, jog: false, home: true, loadFilament: true, unloadFilament: true, calibrate: false, camera: false, files: false, terminal: false },
    updatedAt: Date.now(),
  };

  it('shows the job with controls that match the state, a chart, and sends pause', async () => {
    const fake = fakeClient({
      ...EMPTY,
      'devices.list': () => [device],
      'printers.temperatureHistory': () => ({ samples: [{ t: Date.now() - 5000, sensor: 'nozzle', actual: 190, target: 210 }] }),
      'printers.pause': () => ({ done: true }),
    });
    setClient(fake.client);
    useAppStore.setState({ route: 'devices', param: 'xyz:1' });
    render(<App />);
    expect(await screen.findByRole('heading', { name: 'Nano', level: 1 })).toBeTruthy();
    expect(screen.getByRole('progressbar', { name: 'Nano print progress' }).getAttribute('aria-valuenow')).toBe('50');
    expect(screen.queryByRole('button', { name: 'Resume' })).toBeNull();
    // Maintenance is offered but disabled while printing.
    expect((screen.getByRole('button', { name: 'Home axes' }) as HTMLButtonElement).disabled).toBe(true);
    await waitFor(() => expect(screen.getByRole('img').getAttribute('aria-label')).toMatch(/Nozzle 205 °C, target 210 °C/));
    fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'printers.pause' && (c.payload as { deviceId: string }).deviceId === 'xyz:1')).toBe(true));
  });

  it('offers pairing again when an OctoPrint key was revoked', async () => {
    const revoked = { ...device, deviceId: 'octoprint:1', family: 'octoprint', name: 'Ender', link: 'error', state: 'error', stateText: 'Error', job: null, problem: { code: 'octoprint.keyInvalid', message: 'API key no longer valid — pair again' } };
    setClient(fakeClient({ ...EMPTY, 'devices.list': () => [revoked], 'printers.temperatureHistory': () => ({ samples: [] }) }).client);
    useAppStore.setState({ route: 'devices', param: 'octoprint:1' });
    render(<App />);
    fireEvent.click(await screen.findByRole('link', { name: 'Pair in Settings' }));
    expect(await screen.findByRole('heading', { name: 'Settings' })).toBeTruthy();
  });

  it('says so when the device is gone', async () => {
    setClient(fakeClient(EMPTY).client);
    useAppStore.setState({ route: 'devices', param: 'xyz:gone' });
    render(<App />);
    expect(await screen.findByText('This printer is no longer connected.')).toBeTruthy();
  });
});

describe('printers found on USB', () => {
  afterEach(() => cleanup());

  it('offers a plugged-in da Vinci and adds it with one click', async () => {
    const offer = { id: '3FNAXP', family: 'xyz', label: 'da Vinci nano (3FNAXP…)', address: 'usb://3FNAXPUS5TH7CM0041', portPath: '/dev/ttyACM0', serialNumber: '3FNAXPUS5TH7CM0041', model: 'dv1NX0A000', added: false };
    const fake = fakeClient({
      ...EMPTY,
      'discovery.list': () => [offer],
      'connections.add': (p) => ({ ...(p as object), id: 'c1', options: {}, hasSecret: false, origin: 'user', createdAt: 1, updatedAt: 1 }),
    });
    setClient(fake.client);
    useAppStore.setState({ route: 'devices', param: null });
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Add da Vinci nano (3FNAXP…)' }));
    await waitFor(() => expect(fake.calls.find((c) => c.method === 'connections.add')?.payload).toEqual({ kind: 'xyz', name: 'da Vinci nano', address: 'usb://3FNAXPUS5TH7CM0041' }));
  });
});

describe('notification centre', () => {
  afterEach(() => {
    cleanup();
    useAppStore.setState({ route: 'devices', param: null, toasts: [] });
  });

  const note = (id: string, level: string, title: string, deviceId: string | null, read = false) => ({ id, level, title, body: '', route: deviceId ? `devices/${deviceId}` : null, deviceId, at: 1_700_000_000_000, read });

  it('shows the unread count on the bell, lists yesterday’s notifications, filters by severity and marks all read', async () => {
    const listed: unknown[] = [];
    const fake = fakeClient({
      ...EMPTY,
      'notifications.unread': () => ({ unread: 2 }),
      'notifications.list': (q) => {
        listed.push(q);
        const all = [note('1', 'error', 'P1S #10 failed', 'p10'), note('2', 'success', 'P1S #5 finished', 'p5'), note('3', 'info', 'Old news', null, true)];
        const levels = (q as { levels?: string[] }).levels;
        return levels?.length ? all.filter((n) => levels.includes(n.level)) : all;
      },
      'notifications.markRead': () => ({ unread: 0 }),
    });
    setClient(fake.client);
    render(<App />);
    const bell = await screen.findByRole('button', { name: 'Notifications, 2 unread' });
    fireEvent.click(bell);
    const centre = screen.getByRole('dialog', { name: 'Notification centre' });
    expect(within(centre).getAllByRole('listitem').map((li) => li.querySelector('strong')?.textContent)).toEqual(['P1S #10 failed', 'P1S #5 finished', 'Old news']);
    fireEvent.click(within(centre).getByRole('button', { name: 'Errors' }));
    await waitFor(() => expect(within(centre).getAllByRole('listitem')).toHaveLength(1));
    expect(listed.at(-1)).toMatchObject({ levels: ['error'] });
    fireEvent.click(within(centre).getByRole('button', { name: 'Mark all read' }));
    await screen.findByRole('button', { name: 'Notifications' });
  });

  it('groups notifications by day, shows one day alone, and marks a day read', async () => {
    const now = Date.now();
    const today = dayStart(now);
    const yesterday = daysBefore(now, 1);
    const all = [
      { ...note('t', 'info', 'Today’s', null), at: today },
      { ...note('y1', 'error', 'MK4 #2: print failed', 'p2'), at: yesterday + 20 * 3_600_000 },
      { ...note('y2', 'success', 'MK4 #3 finished', 'p3', true), at: yesterday + 3_600_000 },
      { ...note('o', 'success', 'Older', 'p3', true), at: daysBefore(now, 3) + 3_600_000 },
    ];
    const listed: { since?: number; before?: number }[] = [];
    const marked: unknown[] = [];
    const fake = fakeClient({
      ...EMPTY,
      'notifications.unread': () => ({ unread: 2 }),
      'notifications.list': (q) => {
        const query = q as { since?: number; before?: number };
        listed.push(query);
        return all.filter((n) => (query.since === undefined || n.at >= query.since) && (query.before === undefined || n.at < query.before));
      },
      'notifications.markRead': (req) => {
        marked.push(req);
        return { unread: 1 };
      },
    });
    setClient(fake.client);
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Notifications, 2 unread' }));
    const centre = screen.getByRole('dialog', { name: 'Notification centre' });
    await waitFor(() => expect(within(centre).getAllByRole('heading', { level: 3 })).toHaveLength(3));
    expect(within(centre).getAllByRole('heading', { level: 3 }).slice(0, 2).map((h) => h.textContent)).toEqual(['Today', 'Yesterday']);

    fireEvent.change(within(centre).getByRole('combobox', { name: 'Day' }), { target: { value: String(yesterday) } });
    await waitFor(() => expect(within(centre).getAllByRole('heading', { level: 3 }).map((h) => h.textContent)).toEqual(['Yesterday']));
    expect(listed.at(-1)).toMatchObject({ since: yesterday, before: today });
    const day = within(centre).getByRole('region', { name: 'Yesterday' });
    expect(day.textContent).toContain('1 unread');
    fireEvent.click(within(day).getByRole('button', { name: 'Mark yesterday read' }));
    await waitFor(() => expect(day.textContent).toContain('All read'));
    expect(marked).toEqual([{ ids: ['y1'] }]);
  });

  it('shows at most three toasts at once', () => {
    for (let i = 0; i < 6; i++) useAppStore.getState().toast({ level: 'warning', title: `Notice ${i}`, body: '' });
    expect(useAppStore.getState().toasts.map((t) => t.title)).toEqual(['Notice 3', 'Notice 4', 'Notice 5']);
  });
});

