import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { JobImage, UploadJobSummary } from '../../../shared/contract';
import { api } from '../../api';
import { ProgressBar } from '../../components/ProgressBar';
import { useAppStore } from '../../stores/app-store';
import { formatBytes } from '../format';
import { useUploadsStore } from './uploads-store';

const STATE_TEXT: Record<UploadJobSummary['state'], string> = {
  preparing: 'Preparing',
  uploading: 'Uploading',
  delivering: 'Delivering',
  delivered: 'Delivered',
  failed: 'Failed',
  cancelling: 'Cancelling',
  cancelled: 'Cancelled',
};

/** Upload jobs, newest first, with their progress, controls, errors and deliveries. */
export function JobsPanel() {
  const jobs = useUploadsStore(useShallow((s) => Object.values(s.jobs).sort((a, b) => b.createdAt - a.createdAt)));
  if (jobs.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="uploads-jobs-title">
      <h2 id="uploads-jobs-title">Upload jobs</h2>
      <ul className="uploads-jobs" aria-label="Upload jobs">
        {jobs.map((j) => (
          <li key={j.id}>
            <JobCard job={j} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function JobCard({ job }: { job: UploadJobSummary }) {
  const errorToast = useAppStore((s) => s.errorToast);
  const failed = useUploadsStore(useShallow((s) => (s.jobImages[job.id] ?? []).filter((i) => i.state === 'error')));
  const loadJobImages = useUploadsStore((s) => s.loadJobImages);
  const live = !['delivered', 'failed', 'cancelled'].includes(job.state);
  const label = `Upload to ${job.recipient}`;

  useEffect(() => {
    if (job.errorImages > 0) void loadJobImages(job.id);
  }, [job.id, job.errorImages, loadJobImages]);

  async function act(method: 'uploads.pauseJob' | 'uploads.resumeJob' | 'uploads.cancelJob', what: string) {
    const r = await api().call(method, { jobId: job.id });
    if (!r.ok) errorToast(`The job was not ${what}`, r.error);
    else useUploadsStore.getState().applyJob(r.value);
  }

  async function retry(image?: JobImage) {
    const r = await api().call('uploads.retryImage', image ? { jobId: job.id, imageId: image.imageId } : { jobId: job.id });
    if (!r.ok) errorToast('Retry failed', r.error);
    else {
      useUploadsStore.getState().applyJob(r.value);
      await loadJobImages(job.id);
    }
  }

  // The progress is what the server has stored: bytes in flight may be lost to a server restart, and a bar must not go back.
  const fraction = job.totalBytes > 0 ? job.committedBytes / job.totalBytes : job.state === 'delivered' ? 1 : 0;
  const inFlight = Math.max(0, job.sentBytes - job.committedBytes);
  return (
    <article className={`card uploads-job uploads-job-${job.state}`} aria-label={label}>
      <header className="card-head">
        <h3 className="card-title">{job.recipient}</h3>
        <span className={`pill uploads-pill-${job.state}`}>
          {job.paused && live ? 'Paused' : STATE_TEXT[job.state]}
          {job.waitingForServer ? ' · waiting for the server' : ''}
        </span>
      </header>
      <ProgressBar value={fraction} label={`${label}: bytes`} />
      <p className="small job-line">
        <span>
          {job.doneImages} of {job.totalImages} images
          {job.errorImages > 0 ? ` · ${job.errorImages} failed` : ''}
        </span>
        <span>
          {formatBytes(job.committedBytes)} of {formatBytes(job.totalBytes)} stored on the server
          {live && inFlight > 0 ? ` · ${formatBytes(inFlight)} on the way` : ''}
        </span>
      </p>
      <ProgressBar value={job.totalImages > 0 ? job.doneImages / job.totalImages : 0} label={`${label}: images`} />
      {job.active.length > 0 && (
        <ul className="uploads-active" aria-label="Images uploading now">
          {job.active.map((i) => (
            <li key={i.imageId} className="small">
              <span className="uploads-thumb-name">{i.name}</span>
              <ProgressBar value={i.size > 0 ? i.sentBytes / i.size : 0} label={`${i.name} upload`} />
            </li>
          ))}
        </ul>
      )}
      {job.state === 'delivered' && (
        <p className="small uploads-delivered">
          Delivered to <strong>{job.recipient}</strong>
          {job.deliveredAt ? ` on ${new Date(job.deliveredAt).toLocaleString()}` : ''}
          {job.deliveryLink && (
            <>
              {' '}
              · <span className="mono">{job.deliveryLink}</span>
            </>
          )}
        </p>
      )}
      {job.error && (
        <p className="problem small" role="alert">
          {job.error}
        </p>
      )}
      {failed.length > 0 && (
        <div role="alert" className="uploads-failed">
          <ul className="plain-list small">
            {failed.map((i) => (
              <li key={i.imageId}>
                {i.error}{' '}
                {i.retryable && live && (
                  <button type="button" className="small-button" onClick={() => void retry(i)} aria-label={`Retry ${i.name}`}>
                    Retry
                  </button>
                )}
              </li>
            ))}
          </ul>
          {live && failed.some((i) => i.retryable) && (
            <button type="button" className="small-button" onClick={() => void retry()}>
              Retry all failed
            </button>
          )}
        </div>
      )}
      {live && (
        <div className="button-row">
          {job.paused ? (
            <button type="button" onClick={() => void act('uploads.resumeJob', 'resumed')}>
              Resume
            </button>
          ) : (
            <button type="button" onClick={() => void act('uploads.pauseJob', 'paused')} disabled={job.state === 'cancelling'}>
              Pause
            </button>
          )}
          <button type="button" onClick={() => void act('uploads.cancelJob', 'cancelled')} disabled={job.state === 'cancelling'}>
            Cancel
          </button>
        </div>
      )}
    </article>
  );
}
