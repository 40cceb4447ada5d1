import { useState, type DragEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { DeviceStatus } from '../../shared/contract';
import { DiscoveryOffers } from '../components/DiscoveryOffers';
import { EmptyState } from '../components/EmptyState';
import { ProgressBar } from '../components/ProgressBar';
import { usePrintConfirmStore } from '../stores/print-confirm-store';
import { hrefFor, useAppStore } from '../stores/app-store';
import { useConnectionsStore } from '../stores/connections-store';
import { useDemoStore } from '../stores/demo-store';
import { sortDevices, useDevicesStore } from '../stores/devices-store';
import { DevicePage } from './device/DevicePage';
import { ADD_CONNECTION_PARAM } from './settings/ConnectionsManager';
import { describeDevice, devicePill, formatDuration, formatLastSeen, formatTemperature } from './format';
import { canPrint, hasJobToShow, isPrinting, isUnreachable } from '../../shared/domain/device-state';

export function DevicesView() {
  const param = useAppStore((s) => s.param);
  return param ? <DevicePage deviceId={param} /> : <DeviceList />;
}

function DeviceList() {
  const devices = useDevicesStore(useShallow((s) => sortDevices(Object.values(s.byId))));
  const printerConnections = useConnectionsStore((s) => s.connections.filter((c) => c.kind === 'xyz' || c.kind === 'octoprint' || c.kind === 'moonraker' || c.kind === 'marlin' || c.kind === 'armory').length);
  const loaded = useConnectionsStore((s) => s.loaded);

  if (!loaded) return <p className="muted">Loading…</p>;
  if (devices.length === 0) {
    return (
      <>
        <DiscoveryOffers />
        {printerConnections === 0 ? <NoPrinters /> : <WaitingForPrinters />}
      </>
    );
  }

  return (
    <section aria-labelledby="devices-title">
      <DiscoveryOffers />
      <div className="section-head">
        <h1 id="devices-title">Devices</h1>
        <span className="muted">{summary(devices)}</span>
      </div>
      <ul className="device-grid" aria-label="Printers">
        {devices.map((d) => (
          <li key={d.deviceId}>
            <DeviceCard device={d} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function summary(devices: DeviceStatus[]): string {
  const printing = devices.filter((d) => isPrinting(d.state)).length;
  const problems = devices.filter((d) => d.problem || isUnreachable(d.link)).length;
  return `${devices.length} printers · ${printing} printing · ${problems} need attention`;
}

function NoPrinters() {
  const navigate = useAppStore((s) => s.navigate);
  const toastError = useAppStore((s) => s.errorToast);
  const { start, busy } = useDemoStore(useShallow((s) => ({ start: s.start, busy: s.busy })));
  return (
    <EmptyState
      title="No printers yet"
      actions={
        <>
          <button type="button" className="primary" onClick={() => navigate('settings', ADD_CONNECTION_PARAM)}>
            Connect a printer
          </button>
          <button
            type="button"
            disabled={busy}
            onClick={async () => {
              const r = await start();
              if (!r.ok) toastError('The demo fleet did not start', r.error);
            }}
          >
            {busy ? 'Starting the demo fleet…' : 'Try the demo fleet'}
          </button>
        </>
      }
    >
      <p>Connect a da Vinci over USB or Wi-Fi, or an OctoPrint server, and it shows up here with its state, progress and temperatures.</p>
      <p>No printer at hand? The demo fleet starts simulated printers on this computer that behave like real ones.</p>
    </EmptyState>
  );
}

function WaitingForPrinters() {
  return (
    <EmptyState title="Connecting to your printers…">
      <p>Your printer connections are configured; their drivers will report here as soon as they answer.</p>
    </EmptyState>
  );
}

export function DeviceCard({ device }: { device: DeviceStatus }) {
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
    >
      <header className="card-head">
        <h2 className="card-title">
          <a
            href={hrefFor('devices', device.deviceId)}
            onClick={(e) => {
              e.preventDefault();
              navigate('devices', device.deviceId);
            }}
          >
            {device.name}
          </a>
        </h2>
        <span className={`pill pill-${offline ? 'offline' : device.state}`}>{devicePill(device)}</span>
      </header>
      <p className="muted small">{describeDevice(device)}</p>
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
          <div className="job-line muted small">
            <span>Elapsed {formatDuration(device.job.elapsedSec)}</span>
            <span>Remaining {formatDuration(device.job.remainingSec)}</span>
          </div>
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
