import { useState } from 'react';
import type { DeviceStatus, MaintenanceAction } from '../../../shared/contract';
import { api } from '../../api';
import { useAppStore } from '../../stores/app-store';
import { isJobActive } from '../../../shared/domain/device-state';

/** Home, jog, filament and calibration, offered only where the model supports them and the printer is free. */
export function MaintenancePanel({ device }: { device: DeviceStatus }) {
  const errorToast = useAppStore((s) => s.errorToast);
  const toast = useAppStore((s) => s.toast);
  const [running, setRunning] = useState<string | null>(null);
  const c = device.capabilities;
  if (!c.home && !c.jog && !c.loadFilament && !c.unloadFilament && !c.calibrate) return null;
  const disabled = device.link !== 'online' || isJobActive(device.state) || running !== null;

  const run = async (label: string, action: MaintenanceAction) => {
    setRunning(label);
    const r = await api().call('printers.maintenance', { deviceId: device.deviceId, action });
    setRunning(null);
    if (r.ok) toast({ level: 'success', title: `${label}: done`, body: device.name });
    else errorToast(`${label} failed on ${device.name}`, r.error);
  };

  return (
    <section className="panel" aria-labelledby="maint-title">
      <h2 id="maint-title">Maintenance</h2>
      {isJobActive(device.state) && <p className="muted small">Available when the printer is not printing.</p>}
      <div className="button-row">
        {c.home && (
          <button type="button" disabled={disabled} onClick={() => run('Home', { type: 'home' })}>
            Home axes
          </button>
        )}
        {c.loadFilament && (
          <button type="button" disabled={disabled} onClick={() => run('Load filament', { type: 'loadFilament' })}>
            Load filament
          </button>
        )}
        {c.unloadFilament && (
          <button type="button" disabled={disabled} onClick={() => run('Unload filament', { type: 'unloadFilament' })}>
            Unload filament
          </button>
        )}
        {c.calibrate && (
          <button type="button" disabled={disabled} onClick={() => run('Calibrate', { type: 'calibrate' })}>
            Calibrate
          </button>
        )}
      </div>
      {c.jog && (
        <div className="jog" role="group" aria-label="Jog">
          {(['x', 'y', 'z'] as const).map((axis) => (
            <div key={axis} className="button-row">
              {[-10, -1, 1, 10].map((mm) => (
                <button
                  key={mm}
                  type="button"
                  className="small-button"
                  disabled={disabled}
                  aria-label={`Move ${axis.toUpperCase()} ${mm > 0 ? '+' : ''}${mm} mm`}
                  onClick={() => run(`Move ${axis.toUpperCase()}`, { type: 'jog', axis, mm })}
                >
                  {axis.toUpperCase()} {mm > 0 ? '+' : ''}
                  {mm}
                </button>
              ))}
            </div>
          ))}
        </div>
      )}
      {running && <p className="muted small" aria-live="polite">{running}…</p>}
    </section>
  );
}
