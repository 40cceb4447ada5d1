import { useEffect, useId, useState } from 'react';
import type { DeviceStatus, OctoprintDetails } from '../../../../shared/contract';
import { api } from '../../../api';
import { useAppStore } from '../../../stores/app-store';

/** The serial link between OctoPrint and the printer: port, baud rate, connect and disconnect. */
export function ConnectionControls({ device, details }: { device: DeviceStatus; details: OctoprintDetails | null }) {
  const id = useId();
  const errorToast = useAppStore((s) => s.errorToast);
  const [port, setPort] = useState('');
  const [baud, setBaud] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!details) return;
    setPort((p) => p || details.port || '');
    setBaud((b) => b || (details.baudrate === null ? '' : String(details.baudrate)));
  }, [details]);
  const connected = details !== null && details.connectionState !== 'Closed' && device.state !== 'offline' && device.state !== 'error';
  const disabled = busy || device.link !== 'online' || details === null;

  const run = async (what: 'connect' | 'disconnect') => {
    setBusy(true);
    const r =
      what === 'connect'
        ? await api().call('octoprint.connect', {
            deviceId: device.deviceId,
            ...(port ? { port } : {}),
            ...(baud ? { baudrate: Number(baud) } : {}),
          })
        : await api().call('octoprint.disconnect', { deviceId: device.deviceId });
    setBusy(false);
    if (!r.ok) errorToast(`Could not ${what} ${device.name}`, r.error);
  };

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Printer connection</h2>
      <p className="muted small">
        OctoPrint {details?.serverVersion ?? ''} · {details?.connectionState ?? 'unknown'}
      </p>
      <div className="octoprint-fields">
        <label htmlFor={`${id}-port`}>Port</label>
        <select id={`${id}-port`} value={port} disabled={disabled || connected} onChange={(e) => setPort(e.target.value)}>
          <option value="">Auto</option>
          {details?.ports.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-baud`}>Baud rate</label>
        <select id={`${id}-baud`} value={baud} disabled={disabled || connected} onChange={(e) => setBaud(e.target.value)}>
          <option value="">Auto</option>
          {details?.baudrates.map((b) => (
            <option key={b} value={String(b)}>
              {b}
            </option>
          ))}
        </select>
      </div>
      <div className="button-row">
        {connected ? (
          <button type="button" disabled={disabled} onClick={() => run('disconnect')}>
            Disconnect printer
          </button>
        ) : (
          <button type="button" className="primary" disabled={disabled} onClick={() => run('connect')}>
            Connect printer
          </button>
        )}
      </div>
    </section>
  );
}
