import { useId, useState, type FormEvent } from 'react';
import type { DeviceStatus, OctoprintDetails } from '../../../../shared/contract';
import { api } from '../../../api';
import { useAppStore } from '../../../stores/app-store';

const SENSORS = [
  { sensor: 'tool0', label: 'Hotend' },
  { sensor: 'bed', label: 'Bed' },
] as const;

/** Target temperatures and offsets for the hotend and the bed. */
export function TargetsPanel({ device, details }: { device: DeviceStatus; details: OctoprintDetails | null }) {
  const id = useId();
  const errorToast = useAppStore((s) => s.errorToast);
  const [targets, setTargets] = useState<Record<string, string>>({});
  const [offsets, setOffsets] = useState<Record<string, string>>({});
  const disabled = device.link !== 'online' || !details?.operational;

  const submit = async (e: FormEvent, kind: 'targets' | 'offsets', values: Record<string, string>, preset?: Record<string, number>) => {
    e.preventDefault();
    const numbers: Record<string, number> = preset ?? {};
    if (!preset) for (const [k, v] of Object.entries(values)) if (v.trim() !== '' && Number.isFinite(Number(v))) numbers[k] = Number(v);
    const { bed, ...tools } = numbers;
    if (bed === undefined && Object.keys(tools).length === 0) return;
    const payload = { deviceId: device.deviceId, ...(Object.keys(tools).length ? { tools } : {}), ...(bed === undefined ? {} : { bed }) };
    const r = kind === 'targets' ? await api().call('octoprint.setTargets', payload) : await api().call('octoprint.setOffsets', payload);
    if (!r.ok) errorToast(`Could not set ${kind} on ${device.name}`, r.error);
    else if (kind === 'targets') setTargets({});
    else setOffsets({});
  };

  const current = (sensor: string) => device.temperatures.find((t) => t.sensor === sensor);
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Heaters</h2>
      <form onSubmit={(e) => submit(e, 'targets', targets)} aria-label="Target temperatures">
        <div className="octoprint-fields">
          {SENSORS.map(({ sensor, label }) => (
            <div key={sensor} className="octoprint-field">
              <label htmlFor={`${id}-t-${sensor}`}>
                {label} target (°C){current(sensor)?.target ? `, now ${Math.round(current(sensor)?.target ?? 0)}` : ''}
              </label>
              <input
                id={`${id}-t-${sensor}`}
                type="number"
                inputMode="numeric"
                min={0}
                max={sensor === 'bed' ? 150 : 320}
                value={targets[sensor] ?? ''}
                disabled={disabled}
                onChange={(e) => setTargets({ ...targets, [sensor]: e.target.value })}
              />
            </div>
          ))}
        </div>
        <div className="button-row">
          <button type="submit" className="primary" disabled={disabled}>
            Set targets
          </button>
          <button type="button" disabled={disabled} onClick={(e) => submit(e, 'targets', {}, { tool0: 0, bed: 0 })}>
            Heaters off
          </button>
          <button type="button" disabled={disabled} onClick={(e) => submit(e, 'targets', {}, { tool0: 210, bed: 60 })}>
            PLA preheat
          </button>
        </div>
      </form>
      <form onSubmit={(e) => submit(e, 'offsets', offsets)} aria-label="Temperature offsets">
        <div className="octoprint-fields">
          {SENSORS.map(({ sensor, label }) => (
            <div key={sensor} className="octoprint-field">
              <label htmlFor={`${id}-o-${sensor}`}>
                {label} offset (°C), now {details?.offsets[sensor] ?? 0}
              </label>
              <input
                id={`${id}-o-${sensor}`}
                type="number"
                min={-50}
                max={50}
                value={offsets[sensor] ?? ''}
                disabled={disabled}
                onChange={(e) => setOffsets({ ...offsets, [sensor]: e.target.value })}
              />
            </div>
          ))}
        </div>
        <div className="button-row">
          <button type="submit" disabled={disabled}>
            Set offsets
          </button>
        </div>
      </form>
    </section>
  );
}
