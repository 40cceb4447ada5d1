// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setClient } from '../../../src/renderer/api';
import { CameraWall } from '../../../src/renderer/views/fleet/CameraWall';
import { NO_CAPABILITIES } from '../../../src/shared/domain/device';
import { deviceStatus } from '../../support/device-status';
import { fakeClient } from './fake-client';

/** An IntersectionObserver that reports the first `n` elements it observes as on screen. */
function onScreenFirst(n: number) {
  let seen = 0;
  return class {
    constructor(private readonly callback: (entries: { target: Element; isIntersecting: boolean }[]) => void) {}
    observe(target: Element) {
      const isIntersecting = seen++ < n;
      this.callback([{ target, isIntersecting }]);
    }
    disconnect() {}
  };
}

describe('camera wall', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('shows camera printers only, fetches only tiles on screen, and opens one large', async () => {
    vi.stubGlobal('IntersectionObserver', onScreenFirst(2));
    const fake = fakeClient({ 'printers.snapshot': () => ({ mime: 'image/jpeg', dataBase64: '/9j/AA==', at: 1 }) });
    setClient(fake.client);
    const camera = { ...NO_CAPABILITIES, camera: true };
    const devices = [
      ...Array.from({ length: 6 }, (_, i) => deviceStatus(`cam${i}`, { name: `Cam ${i}`, capabilities: camera })),
      deviceStatus('blind', { name: 'No camera' }),
    ];
    render(<CameraWall devices={devices} />);
    expect(screen.getAllByRole('button', { name: /^Show / })).toHaveLength(6);
    await waitFor(() => expect(screen.getAllByRole('img')).toHaveLength(2));
    const asked = new Set(fake.calls.filter((c) => c.method === 'printers.snapshot').map((c) => (c.payload as { deviceId: string }).deviceId));
    expect([...asked].sort()).toEqual(['cam0', 'cam1']);
    fireEvent.click(screen.getByRole('button', { name: 'Show Cam 1 large' }));
    expect(screen.getByRole('dialog', { name: 'Cam 1 camera' })).toBeTruthy();
  });

  it('says each printer’s state on its tile; the large view has the job, and Escape closes it', () => {
    vi.stubGlobal('IntersectionObserver', onScreenFirst(0));
    setClient(fakeClient({}).client);
    const camera = { ...NO_CAPABILITIES, camera: true };
    render(
      <CameraWall
        devices={[
          deviceStatus('p', { name: 'Printing one', capabilities: camera }),
          deviceStatus('e', { name: 'Failed one', capabilities: camera, state: 'error', stateText: 'Thermal runaway', job: null }),
          deviceStatus('o', { name: 'Gone one', capabilities: camera, link: 'offline', state: 'idle', stateText: 'Idle', job: null }),
        ]}
      />,
    );
    expect(screen.getByRole('button', { name: 'Show Printing one large' }).textContent).toContain('Printing 50 %');
    const failed = screen.getByRole('button', { name: 'Show Failed one large' });
    expect(failed.textContent).toContain('Thermal runaway');
    expect(failed.className).toContain('state-error');
    expect(screen.getByRole('button', { name: 'Show Gone one large' }).textContent).toContain('Offline');

    fireEvent.click(screen.getByRole('button', { name: 'Show Printing one large' }));
    const large = screen.getByRole('dialog', { name: 'Printing one camera' });
    expect(large.textContent).toContain('part.gcode · 50 %');
    expect(screen.getByRole('link', { name: 'Open printer' })).toBeTruthy();
    fireEvent.keyDown(large, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
