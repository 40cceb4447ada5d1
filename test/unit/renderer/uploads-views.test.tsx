// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setClient } from '../../../src/renderer/api';
import { useAppStore } from '../../../src/renderer/stores/app-store';
import { addFiles } from '../../../src/renderer/views/uploads/add-images';
import { useUploadsStore } from '../../../src/renderer/views/uploads/uploads-store';
import { App } from '../../../src/renderer/views/App';
import { APP_INFO, fakeClient } from './fake-client';

const CAPS = { print: true, pause: true, cancel: true, jog: false, home: false, loadFilament: false, unloadFilament: false, calibrate: false, camera: true, files: false, terminal: false };
const camera = (id: string, name: string) => ({
  deviceId: id, connectionId: id, family: 'octoprint', name, model: null, serial: null, firmware: null, link: 'online', state: 'idle', stateText: 'Idle',
  job: null, temperatures: [], filament: null, problem: null, capabilities: CAPS, updatedAt: 1,
});
const imss = { id: 'imss-1', kind: 'imss', name: 'Lab IMSS', address: 'grpc://127.0.0.1:1', options: {}, hasSecret: true, origin: 'user', createdAt: 1, updatedAt: 1 };
const session = (imageCount: number) => ({ connectionId: 'imss-1', id: 's1', name: 'Bench day', completed: false, createdAt: 1, finishedAt: null, imageCount });
const image = (n: number) => ({
  id: `i${n}`, connectionId: 'imss-1', sessionId: 's1', name: `frame-${n}.jpg`, size: 1000, sha256: 'a'.repeat(64), source: 'camera', createdAt: 1, addedAt: n,
  registered: false, thumbnail: 'none',
});
const lapse = { connectionId: 'imss-1', deviceId: 'op-b', intervalSec: 30, capturing: true, captured: 12, message: null };
const status = (over: object = {}) => ({
  servers: [{ connectionId: 'imss-1', name: 'Lab IMSS', circuit: 'ok', message: null, activeSessionId: 's1' }],
  concurrency: 3, inFlight: 0, watches: [], timelapses: [lapse],
  retention: { deleteDelivered: true, keepLast: 0, budgetMb: 2048 },
  storage: { files: 3, bytes: 3 * 1024 * 1024, deliveredFiles: 1, deliveredBytes: 1024 * 1024, budgetBytes: 2048 * 1024 * 1024 },
  ...over,
});

function answers(server: { images: ReturnType<typeof image>[]; refused?: boolean }) {
  return {
    'app.info': () => APP_INFO,
    'connections.list': () => [imss],
    'devices.list': () => [camera('op-a', 'Prusa A'), camera('op-b', 'Prusa B')],
    'printers.transfers': () => [],
    'discovery.list': () => [],
    'demo.state': () => ({ running: false, simulators: [] }),
    'uploads.status': () => status(),
    'uploads.configure': (p: unknown) => status({ retention: { deleteDelivered: true, keepLast: 0, budgetMb: 2048, ...(p as { retention: object }).retention } }),
    'uploads.listSessions': () =>
      server.refused
        ? { sessions: [session(server.images.length)], offline: false, credentialsRefused: true, problem: "The image server refused Printdeck's credentials." }
        : { sessions: [session(server.images.length)], offline: false, credentialsRefused: false, problem: null },
    'uploads.listImages': () => ({ images: server.images, total: server.images.length }),
    'uploads.listJobs': () => [
      {
        id: 'j1', connectionId: 'imss-1', sessionId: 's1', recipient: 'lab@example.org', state: 'uploading', paused: false, waitingForServer: false,
        totalImages: 2, doneImages: 1, errorImages: 0, totalBytes: 2 * 1024 * 1024, sentBytes: 2 * 1024 * 1024 - 1, committedBytes: 1024 * 1024,
        createdAt: 1, finishedAt: null, error: null, deliveryLink: null, deliveredAt: null, active: [],
      },
    ],
  };
}

async function openUploads() {
  fireEvent.click(screen.getByRole('link', { name: 'Uploads' }));
  return screen.findByRole('heading', { name: 'Uploads', level: 1 });
}

describe('Uploads as a person sees it', () => {
  afterEach(() => {
    cleanup();
    useAppStore.setState({ route: 'devices', param: null, toasts: [] });
    useUploadsStore.setState({ connectionId: null, status: null, sessions: [], selectedSessionId: null, cameraDeviceId: null, images: [], imageTotal: 0, jobs: {}, jobImages: {} });
  });

  it('the camera picker shows the running timelapse first, keeps the choice across visits, and lists other running timelapses', async () => {
    setClient(fakeClient(answers({ images: [image(1)] })).client);
    render(<App />);
    await openUploads();
    const picker = (await screen.findByLabelText('Printer camera')) as HTMLSelectElement;
    expect(picker.value).toBe('op-b');
    expect(screen.getByRole('group', { name: 'Printer cameras' }).textContent).toMatch(/Timelapse every 30 s · capturing · 12 frames/);
    fireEvent.change(picker, { target: { value: 'op-a' } });
    fireEvent.click(screen.getByRole('link', { name: 'Devices' }));
    await screen.findAllByRole('article');
    await openUploads();
    expect(((await screen.findByLabelText('Printer camera')) as HTMLSelectElement).value).toBe('op-a');
    const others = screen.getByRole('list', { name: 'Other running timelapses' });
    expect(others.textContent).toMatch(/Prusa B every 30 s · capturing · 12 frames/);
  });

  it('frames captured while another screen is shown are in the list when the person comes back', async () => {
    const server = { images: [image(1)] };
    const fake = fakeClient(answers(server));
    setClient(fake.client);
    render(<App />);
    await openUploads();
    await screen.findByText('frame-1.jpg');
    fireEvent.click(screen.getByRole('link', { name: 'Devices' }));
    await screen.findAllByRole('article');
    server.images = [image(1), image(2)];
    act(() => fake.emit([{ name: 'uploads.session', payload: session(2) }]));
    await waitFor(() => expect(useUploadsStore.getState().images.map((i) => i.name)).toEqual(['frame-1.jpg', 'frame-2.jpg']));
    await openUploads();
    expect(await screen.findByText('frame-2.jpg')).toBeTruthy();
  });

  it('shows progress as what the server stored, the disk the local copies take, and saves the retention', async () => {
    const fake = fakeClient(answers({ images: [] }));
    setClient(fake.client);
    render(<App />);
    await openUploads();
    const job = await screen.findByRole('article', { name: /lab@example\.org/ });
    expect(job.textContent).toMatch(/1\.0 MB of 2\.0 MB stored on the server/);
    expect(within(job).getByRole('progressbar', { name: /bytes/ }).getAttribute('aria-valuenow')).toBe('50');
    const storage = screen.getByRole('heading', { name: 'Local copies' }).closest('section')!;
    expect(storage.textContent).toMatch(/3 copies on this computer, 3\.0 MB of 2048\.0 MB allowed/);
    fireEvent.change(within(storage).getByLabelText('Keep the newest delivered copies'), { target: { value: '5' } });
    fireEvent.click(within(storage).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(fake.calls.find((c) => c.method === 'uploads.configure')?.payload).toMatchObject({ retention: { keepLast: 5, deleteDelivered: true } }));
  });

  it('a refused token says the credentials were refused, not that the server is offline', async () => {
    setClient(fakeClient(answers({ images: [], refused: true })).client);
    render(<App />);
    await openUploads();
    const alert = await screen.findByText(/refused Printdeck's credentials/);
    expect(alert.textContent).toMatch(/token/);
    expect(screen.queryByText(/does not answer/)).toBeNull();
  });

  it('a browser adding many files never has more staged files waiting than the host keeps per client (4)', async () => {
    let waiting = 0;
    let most = 0;
    let n = 0;
    const fake = fakeClient({
      'files.stageBegin': () => ({ stagedId: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`, chunkBytes: 1024 }),
      'files.stageChunk': () => ({ received: 1 }),
      'files.stageFinish': () => {
        most = Math.max(most, ++waiting);
        return { stagedId: 'x', sha256: 'a'.repeat(64), size: 3 };
      },
      'uploads.addImages': (p: unknown) => {
        waiting -= (p as { files: unknown[] }).files.length;
        return { added: [], duplicates: 0, failed: [] };
      },
    });
    setClient(fake.client);
    const files = Array.from({ length: 10 }, (_, i) => new File([new Uint8Array([1, 2, i])], `p${i}.jpg`, { lastModified: 1_700_000_000_000 }));
    const r = await addFiles('imss-1', 's1', files, () => undefined);
    expect(r.ok).toBe(true);
    expect(most).toBeLessThanOrEqual(4);
    const adds = fake.calls.filter((c) => c.method === 'uploads.addImages');
    expect(adds.flatMap((c) => (c.payload as { files: { modifiedAt?: number }[] }).files)).toHaveLength(10);
    // The file's own time travels with it, for the capture time the server is told.
    expect((adds[0]!.payload as { files: { modifiedAt?: number }[] }).files[0]!.modifiedAt).toBe(1_700_000_000_000);
  });
});
