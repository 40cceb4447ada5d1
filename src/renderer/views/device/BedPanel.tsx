import { useEffect } from 'react';
import type { DeviceStatus } from '../../../shared/contract';
import { isJobActive } from '../../../shared/domain/device-state';
import { followQueue, useQueueStore } from '../../stores/queue-store';
import { BedClearedButton } from '../QueueView';

/** After a print, the queue waits until someone says the bed is clear; this is where they say it. */
export function BedPanel({ device }: { device: DeviceStatus }) {
  const printer = useQueueStore((s) => s.printers.find((p) => p.deviceId === device.deviceId));
  useEffect(() => followQueue(), []);
  if (!printer || printer.bedClear || printer.autoClear || isJobActive(device.state)) return null;
  return (
    <section className="panel" aria-labelledby="bed-title">
      <h2 id="bed-title">Bed</h2>
      <p className="small">
        The last print may still be on the bed. The queue starts nothing here until it is cleared.
      </p>
      <BedClearedButton deviceId={device.deviceId} name={device.name} />
    </section>
  );
}
