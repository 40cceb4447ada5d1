import type { DeviceStatus } from '../../shared/contract';
import { canCancel, canPause, canResume, isUnreachable } from '../../shared/domain/device-state';
import type { RpcErrorShape } from '../../shared/rpc/result';
import { api } from '../api';

export type BulkAction = 'pause' | 'resume' | 'cancel';

export const BULK_LABEL: Record<BulkAction, string> = { pause: 'Pause', resume: 'Resume', cancel: 'Cancel print' };

/** The selected printers the action applies to now (a paused printer cannot be paused again). */
export function bulkTargets(devices: readonly DeviceStatus[], action: BulkAction): DeviceStatus[] {
  const allowed = action === 'pause' ? canPause : action === 'resume' ? canResume : canCancel;
  return devices.filter((d) => !isUnreachable(d.link) && allowed(d.state));
}

/** Runs the action on every target at once; returns the ones that failed, with why. */
export async function runBulk(targets: readonly DeviceStatus[], action: BulkAction): Promise<{ device: DeviceStatus; error: RpcErrorShape }[]> {
  const method = action === 'pause' ? 'printers.pause' : action === 'resume' ? 'printers.resume' : 'printers.cancel';
  const results = await Promise.all(targets.map(async (device) => ({ device, r: await api().call(method, { deviceId: device.deviceId }) })));
  return results.flatMap(({ device, r }) => (r.ok ? [] : [{ device, error: r.error }]));
}
