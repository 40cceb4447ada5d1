import { useState } from 'react';
import type { DeviceStatus } from '../../../shared/contract';
import { ProgressBar } from '../../components/ProgressBar';
import { api } from '../../api';
import { useAppStore } from '../../stores/app-store';
import { formatDuration } from '../format';
import { canCancel, canPause, canResume, hasJobToShow } from '../../../shared/domain/device-state';

type Control = 'printers.pause' | 'printers.resume' | 'printers.cancel';

/** The current job: progress, times, and pause / resume / cancel as the state allows. */
export function JobPanel({ device }: { device: DeviceStatus }) {
  const errorToast = useAppStore((s) => s.errorToast);
  const [busy, setBusy] = useState<Control | null>(null);
  const run = async (method: Control, label: string) => {
    if (method === 'printers.cancel' && !window.confirm(`Cancel the print on ${device.name}?`)) return;
    setBusy(method);
    const r = await api().call(method, { deviceId: device.deviceId });
    setBusy(null);
    if (!r.ok) errorToast(`${label} failed on ${device.name}`, r.error);
  };
  const offline = device.link !== 'online';
  const pausable = device.capabilities.pause && canPause(device.state);
  const resumable = device.capabilities.pause && canResume(device.state);
  const cancellable = device.capabilities.cancel && canCancel(device.state);

  return (
    <section className="panel" aria-labelledby="job-title">
      <h2 id="job-title">Job</h2>
      {device.job && hasJobToShow(device) ? (
        <>
          <div className="job-line">
            <span className="job-name">{device.job.name ?? 'Print job'}</span>
            <span>{device.job.progress === null ? '' : `${Math.round(device.job.progress * 100)}%`}</span>
          </div>
          <ProgressBar value={device.job.progress} label={`${device.name} print progress`} />
          <dl className="facts">
            <dt>Elapsed</dt>
            <dd>{formatDuration(device.job.elapsedSec)}</dd>
            <dt>Remaining</dt>
            <dd>{formatDuration(device.job.remainingSec)}</dd>
          </dl>
        </>
      ) : (
        <p className="muted">No print running.</p>
      )}
      {(pausable || resumable || cancellable) && (
        <div className="button-row">
          {pausable && (
            <button type="button" disabled={offline || busy !== null} onClick={() => run('printers.pause', 'Pause')}>
              {busy === 'printers.pause' ? 'Pausing…' : 'Pause'}
            </button>
          )}
          {resumable && (
            <button type="button" disabled={offline || busy !== null} onClick={() => run('printers.resume', 'Resume')}>
              {busy === 'printers.resume' ? 'Resuming…' : 'Resume'}
            </button>
          )}
          {cancellable && (
            <button type="button" className="danger" disabled={offline || busy !== null} onClick={() => run('printers.cancel', 'Cancel')}>
              {busy === 'printers.cancel' ? 'Cancelling…' : 'Cancel print'}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
