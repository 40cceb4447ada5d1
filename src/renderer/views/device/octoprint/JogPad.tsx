import { useId, useState } from 'react';
import type { DeviceStatus } from '../../../../shared/contract';
import { api } from '../../../api';
import { useAppStore } from '../../../stores/app-store';
import { isPrinting } from '../../../../shared/domain/device-state';

const STEPS = [0.1, 1, 10, 50];

/** A jog and home pad: X/Y/Z moves by the chosen step, homing per axis group. */
export function JogPad({ device, operational }: { device: DeviceStatus; operational: boolean }) {
  const id = useId();
  const errorToast = useAppStore((s) => s.errorToast);
  const [step, setStep] = useState(10);
  const [busy, setBusy] = useState(false);
  const printing = isPrinting(device.state);
  const disabled = busy || device.link !== 'online' || !operational || printing;

  const run = async (label: string, call: () => ReturnType<ReturnType<typeof api>['call']>) => {
    setBusy(true);
    const r = await call();
    setBusy(false);
    if (!r.ok) errorToast(`${label} failed on ${device.name}`, r.error);
  };
  const jog = (axis: 'x' | 'y' | 'z', sign: 1 | -1) =>
    run(`Move ${axis.toUpperCase()}`, () => api().call('octoprint.jog', { deviceId: device.deviceId, [axis]: sign * step }));
  const home = (axes: ('x' | 'y' | 'z')[]) => run('Home', () => api().call('octoprint.home', { deviceId: device.deviceId, axes }));
  const button = (axis: 'x' | 'y' | 'z', sign: 1 | -1, text: string) => (
    <button type="button" disabled={disabled} aria-label={`Move ${axis.toUpperCase()} ${sign > 0 ? '+' : '−'}${step} mm`} onClick={() => jog(axis, sign)}>
      {text}
    </button>
  );

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Jog and home</h2>
      {printing && <p className="muted small">Available when the printer is not printing.</p>}
      <div className="octoprint-jog">
        <div className="octoprint-jog-xy" role="group" aria-label="X and Y">
          <span />
          {button('y', 1, 'Y+')}
          <span />
          {button('x', -1, 'X−')}
          <button type="button" disabled={disabled} onClick={() => home(['x', 'y'])} aria-label="Home X and Y">
            ⌂ XY
          </button>
          {button('x', 1, 'X+')}
          <span />
          {button('y', -1, 'Y−')}
          <span />
        </div>
        <div className="octoprint-jog-z" role="group" aria-label="Z">
          {button('z', 1, 'Z+')}
          <button type="button" disabled={disabled} onClick={() => home(['z'])} aria-label="Home Z">
            ⌂ Z
          </button>
          {button('z', -1, 'Z−')}
        </div>
      </div>
      <fieldset className="segmented">
        <legend>Step</legend>
        {STEPS.map((s) => (
          <label key={s}>
            <input type="radio" name={`${id}-step`} checked={step === s} onChange={() => setStep(s)} />
            {s} mm
          </label>
        ))}
      </fieldset>
      <div className="button-row">
        <button type="button" disabled={disabled} onClick={() => home(['x', 'y', 'z'])}>
          Home all
        </button>
      </div>
    </section>
  );
}
