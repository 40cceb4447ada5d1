import { useState } from 'react';
import type { DeviceStatus } from '../../../shared/contract';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ProgressBar } from '../../components/ProgressBar';
import { api } from '../../api';
import { useAppStore } from '../../stores/app-store';
import { formatDuration } from '../format';
import { canCancel, canPause, canResume, hasJobToShow, isJobActive } from '../../../shared/domain/device-state';
import { useDeviceLink } from './device-link';

type Control = 'printers.pause' | 'printers.resume' | 'printers.cancel';

/** The current job: progress, times, and pause / resume / cancel as the state allows. */
export function JobPanel({ device }: { device: DeviceStatus }) {
  const errorToast = useAppStore((s) => s.errorToast);
  const link = useDeviceLink(device);
  const [busy, setBusy] = useState<Control | null>(null);
  const [confirmingCancel, setConfirmingCancel] = useState(false);
  const run = async (method: Control, label: string) => {
    setBusy(method);
    const r = await api().call(method, { deviceId: device.deviceId });
    setBusy(null);
    setConfirmingCancel(false);
    if (!r.ok) errorToast(`${label} failed on ${device.name}`, r.error);
  };
  const disabled = !link.live || busy !== null;
  // While anything is stale (host or printer out of reach) the controls stay in view, disabled.
  const pausable = device.capabilities.pause && canPause(device.state);
  const resumable = device.capabilities.pause && canResume(device.state);
  const cancellable = device.capabilities.cancel && canCancel(device.state);
  // A job shows while it is under way or just done, and while a printer out of reach last reported one (stale).
  const job = device.job && (hasJobToShow(device) || device.lastSeenAt != null) ? device.job : null;
  const finished = device.state === 'done';

  return (
    <section className={`panel${link.stale ? ' stale' : ''}`} aria-labelledby="job-title">
      <h2 id="job-title">Job</h2>
      {link.staleReason && !link.hostLost && job && (
        <p className="stale-note" role="status">
          {link.staleReason}
        </p>
      )}
      {job ? (
        <>
          <div className="job-line">
            <span className="job-name">{job.name ?? 'Print job'}</span>
            <span>{job.progress === null ? '' : `${Math.round(job.progress * 100)}%`}</span>
          </div>
          <ProgressBar value={job.progress} label={`${device.name} print progress`} />
          <dl className="facts">
            <dt>{finished ? 'Took' : 'Elapsed'}</dt>
            <dd>{formatDuration(finished && !job.elapsedSec ? null : job.elapsedSec)}</dd>
            {!finished && (
              <>
                <dt>Remaining</dt>
                <dd>{formatDuration(isJobActive(device.state) || job.remainingSec ? job.remainingSec : null)}</dd>
              </>
            )}
          </dl>
        </>
      ) : (
        <p className="muted">{link.stale ? 'Not known while out of reach.' : 'No print running.'}</p>
      )}
      {(pausable || resumable || cancellable) && (
        <div className="button-row">
          {pausable && (
            <button type="button" disabled={disabled} onClick={() => run('printers.pause', 'Pause')}>
              {busy === 'printers.pause' ? 'Pausing…' : 'Pause'}
            </button>
          )}
          {resumable && (
            <button type="button" disabled={disabled} onClick={() => run('printers.resume', 'Resume')}>
              {busy === 'printers.resume' ? 'Resuming…' : 'Resume'}
            </button>
          )}
          {cancellable && (
            <button type="button" className="danger" disabled={disabled} onClick={() => setConfirmingCancel(true)}>
              {busy === 'printers.cancel' ? 'Cancelling…' : 'Cancel print'}
            </button>
          )}
        </div>
      )}
      {confirmingCancel && (
        <ConfirmDialog
          title={`Stop the print on ${device.name}?`}
          confirmLabel={busy === 'printers.cancel' ? 'Stopping…' : 'Stop print'}
          keepLabel="Keep printing"
          danger
          busy={busy !== null || !link.live}
          onConfirm={() => void run('printers.cancel', 'Stopping the print')}
          onKeep={() => setConfirmingCancel(false)}
        >
          <p>{job?.name ? `${job.name} stops and cannot be resumed.` : 'The job stops and cannot be resumed.'}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
