import { useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { CloudCamera, DeviceStatus } from '../../../shared/contract';
import { api } from '../../api';
import { ProgressBar } from '../../components/ProgressBar';
import { useAppStore } from '../../stores/app-store';
import { sortDevices, useDevicesStore } from '../../stores/devices-store';
import { devicePill, formatLastSeen } from '../format';

/** The account's printers as the fleet sees them, with the remote-camera question answered honestly. */
export function PrintersPanel({ connectionId }: { connectionId: string }) {
  const id = useId();
  const devices = useDevicesStore(
    useShallow((s) => sortDevices(Object.values(s.byId).filter((d) => d.family === 'cloud' && d.connectionId === connectionId))),
  );
  return (
    <section aria-labelledby={`${id}-title`} className="cloud-section">
      <h2 id={`${id}-title`}>Cloud printers</h2>
      {devices.length === 0 && <p className="muted">No printers reported yet.</p>}
      <ul className="cloud-list" aria-label="Cloud printers">
        {devices.map((d) => (
          <li key={d.deviceId} className="cloud-item">
            <CloudPrinterRow device={d} connectionId={connectionId} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function CloudPrinterRow({ device, connectionId }: { device: DeviceStatus; connectionId: string }) {
  const navigate = useAppStore((s) => s.navigate);
  const [camera, setCamera] = useState<CloudCamera | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const check = async () => {
    if (!device.serial) return;
    setBusy(true);
    setError(null);
    const r = await api().call('cloud.camera', { connectionId, devId: device.serial });
    setBusy(false);
    if (r.ok) setCamera(r.value);
    else setError(r.error.message);
  };
  return (
    <div className="cloud-item-text">
      <div className="cloud-item-head">
        <a
          href={`#/devices/${encodeURIComponent(device.deviceId)}`}
          onClick={(e) => {
            e.preventDefault();
            navigate('devices', device.deviceId);
          }}
        >
          <strong>{device.name}</strong>
        </a>
        <span className="pill">{devicePill(device)}</span>
        <span className="muted small">{[device.model, device.serial].filter(Boolean).join(' · ')}</span>
      </div>
      {device.lastSeenAt != null && <span className="small stale-note">Not live: {formatLastSeen(device.lastSeenAt)}</span>}
      {device.problem && <span className="small cloud-problem">{device.problem.message}</span>}
      {device.job && (
        <>
          <span className="small">
            {device.job.name} {device.job.progress !== null && `· ${Math.round(device.job.progress * 100)}%`}
            {device.lastSeenAt != null && ' when last seen'}
          </span>
          <ProgressBar value={device.job.progress} label={`${device.name} print progress`} />
        </>
      )}
      {camera ? (
        <p className="small cloud-camera" role="status">
          {camera.explanation}
        </p>
      ) : (
        <button type="button" className="small-button" onClick={() => void check()} disabled={busy || device.link === 'error'}>
          {busy ? 'Asking the cloud…' : `Remote camera of ${device.name}?`}
        </button>
      )}
      {error && (
        <p className="form-error small" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
