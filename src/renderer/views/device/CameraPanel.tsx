import { useState } from 'react';
import type { DeviceStatus, Snapshot } from '../../../shared/contract';
import { api } from '../../api';
import { useAppStore } from '../../stores/app-store';

/** A snapshot from the printer's camera, on demand. */
export function CameraPanel({ device }: { device: DeviceStatus }) {
  const errorToast = useAppStore((s) => s.errorToast);
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [loading, setLoading] = useState(false);
  if (!device.capabilities.camera) return null;
  const take = async () => {
    setLoading(true);
    const r = await api().call('printers.snapshot', { deviceId: device.deviceId });
    setLoading(false);
    if (r.ok) setSnapshot(r.value);
    else errorToast(`No snapshot from ${device.name}`, r.error);
  };
  return (
    <section className="panel" aria-labelledby="camera-title">
      <h2 id="camera-title">Camera</h2>
      <button type="button" onClick={take} disabled={loading || device.link !== 'online'}>
        {loading ? 'Taking a snapshot…' : 'Take snapshot'}
      </button>
      {snapshot && (
        <figure className="snapshot">
          <img src={`data:${snapshot.mime};base64,${snapshot.dataBase64}`} alt={`Camera snapshot of ${device.name}`} />
          <figcaption className="muted small">{new Date(snapshot.at).toLocaleTimeString()}</figcaption>
        </figure>
      )}
    </section>
  );
}
