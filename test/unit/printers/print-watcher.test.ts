import { describe, expect, it } from 'vitest';
import type { DeviceStatus } from '../../../src/shared/domain/device';
import { NO_CAPABILITIES } from '../../../src/shared/domain/device';
import type { NotificationCenter } from '../../../src/main/notifications/notification-center';
import { PrintWatcher } from '../../../src/main/printers/print-watcher';

const printing: DeviceStatus = {
  deviceId: 'armory:c:SN1', connectionId: 'c', family: 'cloud', name: 'X1', model: null, serial: 'SN1', firmware: null,
  link: 'online', state: 'printing', stateText: 'Printing', job: { name: 'Benchy', progress: 0.5, elapsedSec: null, remainingSec: null, taskId: '7' },
  temperatures: [], filament: null, problem: null, capabilities: NO_CAPABILITIES, updatedAt: 1, lastSeenAt: null,
};

function watcher() {
  const titles: string[] = [];
  const center = { notify: (n: { title: string }) => titles.push(n.title) } as unknown as NotificationCenter;
  return { w: new PrintWatcher(center), titles };
}

describe('PrintWatcher and stale snapshots', () => {
  it('a stale snapshot (source unreadable) announces nothing; the outcome is announced when live facts return', () => {
    const { w, titles } = watcher();
    w.observe(printing);
    w.observe({ ...printing, link: 'error', lastSeenAt: 1, problem: { code: 'cloud-sign-in', message: 'Sign in again.' } });
    w.observe({ ...printing, state: 'idle', job: null, lastSeenAt: 1 });
    expect(titles).toEqual([]);
    w.observe({ ...printing, state: 'done', stateText: 'Finished', job: { ...printing.job!, progress: 1 } });
    expect(titles).toEqual(['X1 finished']);
  });

  it('a live printer that drops off while printing is still announced', () => {
    const { w, titles } = watcher();
    w.observe(printing);
    w.observe({ ...printing, link: 'offline', state: 'offline' });
    expect(titles).toEqual(['X1 went offline']);
  });
});
