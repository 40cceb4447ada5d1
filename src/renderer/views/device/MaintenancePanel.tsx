import { useState } from 'react';
import type { DeviceStatus, MaintenanceAction } from '../../../shared/contract';
import { api } from '../../api';
import { useAppStore } from '../../stores/app-store';
import { isJobActive } from '../../../shared/domain/device-state';
import { useDeviceLink } from './device-link';
import { FAMILY_JOG_PAD } from './FamilyPanel';

/**
 * Guided actions: the call returns once the printer has taken the step, while the printer then
 * waits for the person (lower the detector, watch the filament come out). Their toast says it
 * started, and the step the printer waits for is shown on the panel from its state.
 */
const GUIDED: ReadonlySet<MaintenanceAction['type']> = new Set(['loadFilament', 'unloadFilament', 'calibrate']);

/** Home, jog, filament and calibration, offered only where the model supports them and the printer is free. */
export function MaintenancePanel({ device }: { device: DeviceStatus }) {
  const errorToast = useAppStore((s) => s.errorToast);
  const toast = useAppStore((s) => s.toast);
  const [running, setRunning] = useState<string | null>(null);
  const link = useDeviceLink(device);
  // One jog pad per page: a family with its own leaves home and jog to it.
  const c = FAMILY_JOG_PAD.has(device.family) ? { ...device.capabilities, home: false, jog: false } : device.capabilities;
  if (!c.home && !c.jog && !c.loadFilament && !c.unloadFilament && !c.calibrate) return null;
  const disabled = !link.live || isJobActive(device.state) || running !== null;
  // The printer is in a maintenance flow of its own (`busy`); its state text says what it waits for.
  const step = link.live && device.state === 'busy' ? device.stateText : null;

  const run = async (label: string, action: MaintenanceAction) => {
    setRunning(label);
    const r = await api().call('printers.maintenance', { deviceId: device.deviceId, action });
    setRunning(null);
    if (r.ok && GUIDED.has(action.type)) toast({ level: 'info', title: `${label} started on ${device.name}`, body: 'Follow the steps shown on its page.' });
    else if (r.ok) toast({ level: 'success', title: `${label}: done`, body: device.name });
    else errorToast(`${label} failed on ${device.name}`, r.error);
  };

  return (
    <section className="panel" aria-labelledby="maint-title">
      <h2 id="maint-title">Maintenance</h2>
      {isJobActive(device.state) && <p className="muted small">Available when the printer is not printing.</p>}
      {step && (
        <p className="step-callout" role="status" aria-live="polite">
          <strong>The printer is on:</strong> {step}
        </p>
      )}
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
