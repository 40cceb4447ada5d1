import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Timelapse } from '../../../shared/contract';
import { api } from '../../api';
import { useAppStore } from '../../stores/app-store';
import { useDevicesStore } from '../../stores/devices-store';
import { useUploadsStore } from './uploads-store';

const NO_TIMELAPSES: Timelapse[] = [];

/** "Capture snapshot to session" and the timelapse switch, for every printer with a camera. */
export function CameraSources({ connectionId, sessionId }: { connectionId: string; sessionId: string }) {
  const devices = useDevicesStore(useShallow((s) => Object.values(s.byId).filter((d) => d.capabilities.camera)));
  const cameras = useMemo(() => devices.map((d) => ({ id: d.deviceId, name: d.name })), [devices]);
  const allLapses = useUploadsStore((s) => s.status?.timelapses ?? NO_TIMELAPSES);
  const timelapses = useMemo(() => allLapses.filter((t) => t.connectionId === connectionId), [allLapses, connectionId]);
  const deviceId = useUploadsStore((s) => s.cameraDeviceId);
  const setDeviceId = useUploadsStore((s) => s.selectCamera);
  const errorToast = useAppStore((s) => s.errorToast);
  const [interval, setIntervalSec] = useState(30);
  const [busy, setBusy] = useState(false);
  if (cameras.length === 0) return null;
  // The choice is kept across visits; with none yet, a camera whose timelapse runs comes first.
  const running = timelapses.find((t) => cameras.some((c) => c.id === t.deviceId));
  const chosen = deviceId && cameras.some((c) => c.id === deviceId) ? deviceId : (running?.deviceId ?? cameras[0]!.id);
  const lapse = timelapses.find((t) => t.deviceId === chosen);
  const others = timelapses.filter((t) => t.deviceId !== chosen);
  const nameOf = (id: string) => cameras.find((c) => c.id === id)?.name ?? 'a printer no longer connected';

  async function capture() {
    setBusy(true);
    const r = await api().call('uploads.capture', { connectionId, sessionId, deviceId: chosen });
    setBusy(false);
    if (!r.ok) errorToast('No snapshot', r.error);
    else await useUploadsStore.getState().loadImages();
  }

  async function setLapse(intervalSec: number | null, target = chosen) {
    const r = await api().call('uploads.timelapse', { connectionId, deviceId: target, intervalSec });
    if (!r.ok) errorToast('Timelapse', r.error);
    else useUploadsStore.getState().setStatus(r.value);
  }

  return (
    <div className="uploads-source" role="group" aria-label="Printer cameras">
      <label htmlFor="uploads-camera">Printer camera</label>
      <select id="uploads-camera" value={chosen} onChange={(e) => setDeviceId(e.target.value)}>
        {cameras.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      <button type="button" className="small-button" disabled={busy} onClick={() => void capture()}>
        Capture snapshot to session
      </button>
      {lapse ? (
        <>
          <span className="small">
            Timelapse every {lapse.intervalSec} s · {lapse.capturing ? 'capturing' : 'waiting for a print'} · {lapse.captured} frames
          </span>
          {lapse.message && (
            <span className="form-error small" role="alert">
              {lapse.message}
            </span>
          )}
          <button type="button" className="small-button" onClick={() => void setLapse(null)}>
            Stop timelapse
          </button>
        </>
      ) : (
        <>
          <label htmlFor="uploads-lapse-interval">Every (s)</label>
          <input id="uploads-lapse-interval" type="number" min={5} max={3600} value={interval} onChange={(e) => setIntervalSec(Number(e.target.value))} />
          <button type="button" className="small-button" onClick={() => void setLapse(Math.min(3600, Math.max(5, Math.round(interval) || 30)))}>
            Timelapse while printing
          </button>
        </>
      )}
      {others.length > 0 && (
        <ul className="small uploads-lapses" aria-label="Other running timelapses">
          {others.map((t) => (
            <li key={t.deviceId}>
              Timelapse of {nameOf(t.deviceId)} every {t.intervalSec} s · {t.capturing ? 'capturing' : 'waiting for a print'} · {t.captured} frames{' '}
              <button type="button" className="small-button" onClick={() => void setLapse(null, t.deviceId)}>
                Stop
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
