import { memo, useState, type DragEvent } from 'react';
import type { DeviceStatus } from '../../../shared/contract';
import { canPrint, hasJobToShow, isUnreachable } from '../../../shared/domain/device-state';
import { ProgressBar } from '../../components/ProgressBar';
import { hrefFor, useAppStore } from '../../stores/app-store';
import { useDevicesStore } from '../../stores/devices-store';
import { usePrintConfirmStore } from '../../stores/print-confirm-store';
import { sameProps } from './same-props';
import { describeDevice, devicePill, formatDuration, formatLastSeen, formatTemperature } from '../format';

/**
 * One printer as a card. The whole card opens the printer (not only its name); the name is cut
 * to fit but shown whole on hover and to screen readers; a file dropped on it prints there.
 */
export const DeviceCard = memo(DeviceCardView, sameProps);

function DeviceCardView({ device, selected, onSelect }: { device: DeviceStatus; selected?: boolean; onSelect?: () => void }) {
  const navigate = useAppStore((s) => s.navigate);
  const errorToast = useAppStore((s) => s.errorToast);
  const transfer = useDevicesStore((s) => s.transfers[device.deviceId]);
  const [dragging, setDragging] = useState(false);
  const acceptsDrop = canPrint(device);
  const onDrop = async (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (!file || !acceptsDrop) return;
    // Every print is confirmed (file → printer), with a warning when the file was sliced for another model.
    const r = await usePrintConfirmStore.getState().ask(device, file);
    if (!r.ok) errorToast(`Could not print ${file.name}`, r.error);
  };
  const sending = transfer && !['done', 'failed', 'cancelled'].includes(transfer.phase);
  const nozzle = device.temperatures.find((t) => t.sensor === 'nozzle' || t.sensor === 'tool0');
  const bed = device.temperatures.find((t) => t.sensor === 'bed');
  const offline = isUnreachable(device.link);
  return (
    <article
      className={`card state-${offline ? 'offline' : device.state}${dragging ? ' dragging' : ''}`}
      aria-label={device.name}
      onDragOver={(e) => {
        if (!acceptsDrop) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      onClick={(e) => {
        if ((e.target as HTMLElement).closest('input, button, a')) return;
        navigate('devices', device.deviceId);
      }}
    >
      <header className="card-head">
        {onSelect && <input type="checkbox" aria-label={`Select ${device.name}`} checked={selected ?? false} onChange={onSelect} />}
        <h2 className="card-title" title={device.name}>
          <a
            href={hrefFor('devices', device.deviceId)}
            tabIndex={onSelect ? -1 : undefined}
            onClick={(e) => {
              e.preventDefault();
              navigate('devices', device.deviceId);
            }}
          >
            {device.name}
          </a>
        </h2>
      </header>
      {/* The state sits under the name, not beside it: a long name and a long state ("Offline after
          error") then never push each other onto a second line, and every card keeps one height. */}
      <p className="card-meta small">
        <span className={`pill pill-${offline ? 'offline' : device.state}`}>{devicePill(device)}</span>
        <span className="muted">{describeDevice(device)}</span>
      </p>
      {device.lastSeenAt != null && (
        <p className="small stale-note" role="note">
          Not live: {formatLastSeen(device.lastSeenAt)}
        </p>
      )}
      {device.problem && (
        <p className="problem" role="note">
          {device.problem.message}
        </p>
      )}
      {sending && (
        <div className="job">
          <div className="job-line small">
            <span className="job-name">Sending {transfer.fileName}</span>
          </div>
          <ProgressBar
            value={transfer.totalBytes ? Math.min(1, transfer.sentBytes / transfer.totalBytes) : null}
            label={`${device.name} upload progress`}
          />
        </div>
      )}
      {device.job && hasJobToShow(device) && (
        <div className="job">
          <div className="job-line">
            <span className="job-name">{device.job.name ?? 'Print job'}</span>
            <span>{device.job.progress === null ? '' : `${Math.round(device.job.progress * 100)}%`}</span>
          </div>
          <ProgressBar value={device.job.progress} label={`${device.name} print progress`} />
          {/* Printers that report no times (some cloud printers) get no line of dashes. */}
          {(device.job.elapsedSec !== null || device.job.remainingSec !== null) && (
            <div className="job-line muted small">
              <span>Elapsed {formatDuration(device.job.elapsedSec)}</span>
              <span>Remaining {formatDuration(device.job.remainingSec)}</span>
            </div>
          )}
        </div>
      )}
      <dl className="facts">
        {nozzle && (
          <>
            <dt>Nozzle</dt>
            <dd>{formatTemperature(nozzle)}</dd>
          </>
        )}
        {bed && (
          <>
            <dt>Bed</dt>
            <dd>{formatTemperature(bed)}</dd>
          </>
        )}
        {device.filament?.remainingMm != null && (
          <>
            <dt>Filament left</dt>
            <dd>{(device.filament.remainingMm / 1000).toFixed(1)} m</dd>
          </>
        )}
      </dl>
    </article>
  );
}
