import { useId, useRef, useState, type DragEvent } from 'react';
import type { DeviceStatus, OctoprintFile } from '../../../../shared/contract';
import { ProgressBar } from '../../../components/ProgressBar';
import { api } from '../../../api';
import { useAppStore } from '../../../stores/app-store';
import { formatBytes, formatDuration } from '../../format';
import { fileSourceOf } from '../../../files/send-to-printer';
import { useServerFiles, useServerUpload } from './use-octoprint';
import { isJobActive } from '../../../../shared/domain/device-state';

const GCODE = /\.(gcode|gco|g)$/i;

/** The files stored on the OctoPrint server: upload (pick or drop, with progress), print, delete. */
export function ServerFilesPanel({ device, operational }: { device: DeviceStatus; operational: boolean }) {
  const id = useId();
  const online = device.link === 'online';
  const { list, error } = useServerFiles(device.deviceId, online);
  const upload = useServerUpload(device.deviceId);
  const errorToast = useAppStore((s) => s.errorToast);
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [staging, setStaging] = useState<{ name: string; sent: number; total: number } | null>(null);
  const uploading = staging !== null || upload?.phase === 'uploading';
  const jobActive = isJobActive(device.state);

  const send = async (file: File | undefined) => {
    if (!file) return;
    if (!GCODE.test(file.name)) {
      errorToast(`Cannot upload ${file.name}`, { code: 'BAD_REQUEST', message: 'OctoPrint stores G-code files (.gcode, .gco, .g).' });
      return;
    }
    setStaging({ name: file.name, sent: 0, total: file.size });
    const staged = await fileSourceOf(file, (sent) => setStaging({ name: file.name, sent, total: file.size }));
    setStaging(null);
    if (!staged.ok) return errorToast(`Could not upload ${file.name}`, staged.error);
    const r = await api().call('octoprint.upload', { deviceId: device.deviceId, file: staged.file, name: file.name });
    if (!r.ok) errorToast(`Could not upload ${file.name}`, r.error);
  };
  const act = async (label: string, f: OctoprintFile, run: () => ReturnType<ReturnType<typeof api>['call']>) => {
    const r = await run();
    if (!r.ok) errorToast(`${label} ${f.display} failed`, r.error);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (online && !uploading) void send(e.dataTransfer.files[0]);
  };

  return (
    <section
      className={`panel drop-target${dragging ? ' dragging' : ''}`}
      aria-labelledby={`${id}-title`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <div className="section-head">
        <h2 id={`${id}-title`}>Files on OctoPrint</h2>
        <button type="button" disabled={!online || uploading} onClick={() => input.current?.click()}>
          Upload G-code…
        </button>
      </div>
      <input
        ref={input}
        type="file"
        accept=".gcode,.gco,.g"
        aria-label="G-code file to upload to OctoPrint"
        className="visually-hidden"
        onChange={(e) => {
          void send(e.target.files?.[0]);
          e.target.value = '';
        }}
      />
      <p className="muted small">Drop a G-code file here to store it on the server.</p>
      {staging && (
        <div className="transfer">
          <div className="job-line small">
            <span>Sending {staging.name} to Printdeck</span>
            <span>{formatBytes(staging.sent)}</span>
          </div>
          <ProgressBar value={staging.total ? staging.sent / staging.total : null} label={`${device.name} file staging progress`} />
        </div>
      )}
      {upload && (
        <div className="transfer" aria-live="polite">
          <div className="job-line small">
            <span>
              {upload.phase === 'uploading' ? 'Uploading' : upload.phase === 'done' ? 'Uploaded' : upload.phase === 'failed' ? 'Failed' : 'Cancelled'} {upload.fileName}
            </span>
            <span>
              {formatBytes(upload.sentBytes)} / {formatBytes(upload.totalBytes)}
            </span>
          </div>
          <ProgressBar value={upload.totalBytes ? Math.min(1, upload.sentBytes / upload.totalBytes) : null} label={`${device.name} server upload progress`} />
          {upload.message && <p className={upload.phase === 'failed' ? 'form-error' : 'muted small'} role={upload.phase === 'failed' ? 'alert' : undefined}>{upload.message}</p>}
          {upload.phase === 'uploading' && (
            <button type="button" onClick={() => void api().call('octoprint.cancelUpload', { deviceId: device.deviceId })}>
              Cancel upload
            </button>
          )}
        </div>
      )}
      {error && online && (
        <p className="form-error" role="alert">
          {error.message}
        </p>
      )}
      {list && list.files.length === 0 && <p className="muted">No files on the server yet.</p>}
      {list && list.files.length > 0 && (
        <table className="table octoprint-files">
          <caption className="visually-hidden">Files on {device.name}</caption>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Size</th>
              <th scope="col">Print time</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.files.map((f) => (
              <tr key={f.path}>
                <td className="octoprint-file-name">{f.path}</td>
                <td>{f.size === null ? '—' : formatBytes(f.size)}</td>
                <td>{formatDuration(f.estimatedPrintSec)}</td>
                <td>
                  <div className="row-actions">
                    <button
                      type="button"
                      className="small-button"
                      disabled={!online || !operational || jobActive}
                      aria-label={`Print ${f.path}`}
                      onClick={() => act('Printing', f, () => api().call('octoprint.fileSelect', { deviceId: device.deviceId, path: f.path, print: true }))}
                    >
                      Print
                    </button>
                    <button
                      type="button"
                      className="small-button danger"
                      disabled={!online || f.busy}
                      aria-label={`Delete ${f.path}`}
                      onClick={() => {
                        if (window.confirm(`Delete ${f.path} from ${device.name}?`)) void act('Deleting', f, () => api().call('octoprint.fileDelete', { deviceId: device.deviceId, path: f.path }));
                      }}
                    >
                      Delete
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list && list.freeBytes !== null && <p className="muted small">{formatBytes(list.freeBytes)} free on the server.</p>}
    </section>
  );
}
