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
});
