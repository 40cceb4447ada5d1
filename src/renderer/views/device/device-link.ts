import type { DeviceStatus } from '../../../shared/contract';
import { useAppStore } from '../../stores/app-store';

export interface DeviceLink {
  /** The page can act on the device now: the host is connected and the device online. */
  live: boolean;
  /** What is shown may be out of date: the host is lost, or the device is and shows its last job. */
  stale: boolean;
  /** The browser has lost the host (the page says so once, at the top). */
  hostLost: boolean;
  /** Why, in words, when stale. */
  staleReason: string | null;
}

/**
 * Whether what the device page shows is current. While the browser has lost the host nothing on
 * the page is news, whatever the last snapshot said, so every control waits for the link.
 */
export function useDeviceLink(device: DeviceStatus): DeviceLink {
  const hostLost = useAppStore((s) => s.link !== 'open');
  if (hostLost) return { live: false, stale: true, hostLost: true, staleReason: 'Not connected to Printdeck: this is how the printer was when the link was lost.' };
  if (device.lastSeenAt != null) {
    return { live: false, stale: true, hostLost: false, staleReason: `Out of reach since ${formatClock(device.lastSeenAt)}: this is the job it was on then.` };
  }
  return { live: device.link === 'online', stale: false, hostLost: false, staleReason: null };
}

function formatClock(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}
