import type { DeviceStatus, Temperature } from '../../shared/contract';

export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h} h ${m.toString().padStart(2, '0')} min`;
  if (m > 0) return `${m} min`;
  return `${s} s`;
}

/** "last seen 2 min ago (14:03)": when a stale snapshot was last heard, relative and on the clock. */
export function formatLastSeen(lastSeenAt: number, now: number = Date.now()): string {
  const ago = Math.max(0, Math.round((now - lastSeenAt) / 1000));
  const clock = new Date(lastSeenAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (ago < 60) return `last seen ${ago} s ago (${clock})`;
  if (ago < 3600) return `last seen ${Math.floor(ago / 60)} min ago (${clock})`;
  return `last seen ${new Date(lastSeenAt).toLocaleString()}`;
}

/** The pill of a device: Offline / Error when unreachable, else its state, marked when stale. */
export function devicePill(device: Pick<DeviceStatus, 'link' | 'stateText' | 'lastSeenAt'>): string {
  if (device.link === 'offline') return 'Offline';
  if (device.link === 'error') return 'Error';
  return device.lastSeenAt != null ? `${device.stateText} (stale)` : device.stateText;
}

export function formatTemperature(t: Temperature): string {
  const actual = t.actual === null ? '—' : `${Math.round(t.actual)} °C`;
  return t.target ? `${actual} → ${Math.round(t.target)} °C` : actual;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

const FAMILY_LABEL: Record<DeviceStatus['family'], string> = { xyz: 'da Vinci', octoprint: 'OctoPrint', moonraker: 'Klipper', marlin: 'Marlin', cloud: 'Cloud' };

/** "da Vinci nano", "OctoPrint", "Cloud · X1 Carbon": the family once, the model when it adds something. */
export function describeDevice(device: Pick<DeviceStatus, 'family' | 'model'> & { site?: string | undefined }): string {
  const family = FAMILY_LABEL[device.family];
  const model = device.model?.trim() ?? '';
  const what = !model || model.toLowerCase() === family.toLowerCase() ? family : model.toLowerCase().includes(family.toLowerCase()) ? model : `${family} · ${model}`;
  // A printer another host shares over MQTT says where it is.
  return device.site ? `${what} · site ${device.site}` : what;
}
