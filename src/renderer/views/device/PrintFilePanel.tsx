import { useRef, useState, type DragEvent } from 'react';
import type { DeviceStatus } from '../../../shared/contract';
import { ProgressBar } from '../../components/ProgressBar';
import { api } from '../../api';
import { usePrintConfirmStore } from '../../stores/print-confirm-store';
import { useAppStore } from '../../stores/app-store';
import { useDevicesStore } from '../../stores/devices-store';
import { formatBytes } from '../format';
import { canPrint } from '../../../shared/domain/device-state';
import { useDeviceLink } from './device-link';

const PHASE_TEXT: Record<string, string> = {
  preparing: 'Preparing',
  converting: 'Converting to .3w',
  uploading: 'Uploading',
  starting: 'Starting the print',
  done: 'Sent',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Pick or drop a .gcode / .3w file; shows the upload to the printer with its progress and a cancel. */
export function PrintFilePanel({ device }: { device: DeviceStatus }) {
  const input = useRef<HTMLInputElement>(null);
  const transfer = useDevicesStore((s) => s.transfers[device.deviceId]);
  const staging = useDevicesStore((s) => s.staging[device.deviceId]);
  const errorToast = useAppStore((s) => s.errorToast);
  const [dragging, setDragging] = useState(false);
  const sending = staging !== undefined || (transfer !== undefined && !['done', 'failed', 'cancelled'].includes(transfer.phase));
  const link = useDeviceLink(device);
  const printable = canPrint(device) && link.live;

  const send = async (file: File | undefined) => {
    if (!file) return;
    const r = await usePrintConfirmStore.getState().ask(device, file);
    if (!r.ok) errorToast(`Could not print ${file.name}`, r.error);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (printable && !sending) void send(e.dataTransfer.files[0]);
  };

  if (!device.capabilities.print) return null;
  return (
    <section
      className={`panel drop-target${dragging ? ' dragging' : ''}`}
      aria-labelledby="print-title"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <h2 id="print-title">Print</h2>
      <p className="muted small">Drop a .gcode or .3w file here, or pick one. G-code is converted for the printer.</p>
      <input
        ref={input}
        type="file"
        accept=".gcode,.gco,.g,.3w"
        aria-label="File to print"
        className="visually-hidden"
        onChange={(e) => {
          void send(e.target.files?.[0]);
          e.target.value = '';
        }}
      />
      <button type="button" className="primary" disabled={!printable || sending} onClick={() => input.current?.click()}>
        Print a file…
      </button>
      {staging && (
        <div className="transfer">
          <div className="job-line small">
            <span>Sending {staging.fileName} to Printdeck</span>
            <span>
              {formatBytes(staging.sentBytes)} / {formatBytes(staging.totalBytes)}
            </span>
          </div>
          <ProgressBar value={staging.totalBytes ? staging.sentBytes / staging.totalBytes : null} label={`${device.name} file upload to Printdeck`} />
        </div>
      )}
      {transfer && (
        <div className="transfer" aria-live="polite">
          <div className="job-line small">
            <span>
              {PHASE_TEXT[transfer.phase] ?? transfer.phase} {transfer.fileName}
            </span>
            <span>
              {/* A finished send says its size once; the bar is for sends under way. */}
              {transfer.phase === 'done' ? formatBytes(transfer.totalBytes) : `${formatBytes(transfer.sentBytes)} / ${formatBytes(transfer.totalBytes)}`}
            </span>
          </div>
          {transfer.phase !== 'done' && (
            <ProgressBar
              value={transfer.totalBytes ? Math.min(1, transfer.sentBytes / transfer.totalBytes) : null}
              label={`${device.name} upload progress`}
            />
          )}
          {transfer.message && transfer.phase === 'failed' && (
            <p className="form-error" role="alert">
              {transfer.message}
            </p>
          )}
          {!['done', 'failed', 'cancelled'].includes(transfer.phase) && (
            <button
              type="button"
              onClick={async () => {
                const r = await api().call('printers.cancelTransfer', { deviceId: device.deviceId });
                if (!r.ok) errorToast('Could not cancel the upload', r.error);
              }}
            >
              Cancel upload
            </button>
          )}
        </div>
      )}
    </section>
  );
}
