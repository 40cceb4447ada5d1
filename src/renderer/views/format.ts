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

export function formatTemperature(t: Temperature): string {
  const actual = t.actual === null ? '—' : `${Math.round(t.actual)} °C`;
  return t.target ? `${actual} → ${Math.round(t.target)} °C` : actual;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

const FAMILY_LABEL: Record<DeviceStatus['family'], string> = { xyz: 'da Vinci', octoprint: 'OctoPrint', moonraker: 'Klipper', cloud: 'Cloud' };

/** "da Vinci nano", "OctoPrint", "Cloud · X1 Carbon": the family once, the model when it adds something. */
export function describeDevice(device: Pick<DeviceStatus, 'family' | 'model'> & { site?: string | undefined }): string {
  const family = FAMILY_LABEL[device.family];
  const model = device.model?.trim() ?? '';
  const what = !model || model.toLowerCase() === family.toLowerCase() ? family : model.toLowerCase().includes(family.toLowerCase()) ? model : `${family} · ${model}`;
  // A printer another host shares over MQTT says where it is.
  return device.site ? `${what} · site ${device.site}` : what;
}
