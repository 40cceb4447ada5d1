import { TemperatureChart } from '../../components/TemperatureChart';
import { hrefFor, useAppStore } from '../../stores/app-store';
import { useDevicesStore } from '../../stores/devices-store';
import { CameraPanel } from './CameraPanel';
import { FamilyPanel } from './FamilyPanel';
import { BedPanel } from './BedPanel';
import { JobPanel } from './JobPanel';
import { MaintenancePanel } from './MaintenancePanel';
import { PrintFilePanel } from './PrintFilePanel';
import { useTemperatureSamples } from './useTemperatureSamples';
import { useDeviceLink } from './device-link';
import { describeDevice, devicePill, formatLastSeen } from '../format';
import { pairParam } from '../settings/ConnectionsManager';
import type { DeviceStatus } from '../../../shared/contract';
import { isUnreachable } from '../../../shared/domain/device-state';

/** Problems the user fixes by pairing the printer again (OctoPrint API keys). */
const PAIRING_PROBLEMS = new Set(['octoprint.keyInvalid', 'octoprint.notPaired']);

export function DevicePage({ deviceId }: { deviceId: string }) {
  const device = useDevicesStore((s) => s.byId[deviceId]);
  const loaded = useDevicesStore((s) => s.loaded);
  const navigate = useAppStore((s) => s.navigate);
  if (!device) {
    return (
      <section>
        <a href={hrefFor('devices')} onClick={(e) => (e.preventDefault(), navigate('devices'))}>
          ← All devices
        </a>
        <p className="muted">{loaded ? 'This printer is no longer connected.' : 'Loading…'}</p>
      </section>
    );
  }
  return <DeviceDetails device={device} />;
}

function DeviceDetails({ device }: { device: DeviceStatus }) {
  const navigate = useAppStore((s) => s.navigate);
  const samples = useTemperatureSamples(device);
  const offline = isUnreachable(device.link);
  const link = useDeviceLink(device);
  const hostLost = link.hostLost;
  return (
    <article className={`device-page${hostLost ? ' stale' : ''}`} aria-labelledby="device-title" aria-busy={hostLost}>
      <a href={hrefFor('devices')} onClick={(e) => (e.preventDefault(), navigate('devices'))}>
        ← All devices
      </a>
      <header className="device-head">
        <h1 id="device-title">{device.name}</h1>
        <span className={`pill pill-${offline ? 'offline' : device.state}`}>{devicePill(device)}</span>
        {hostLost && <span className="pill pill-stale">Not current</span>}
      </header>
      {hostLost && link.staleReason && (
        <p className="stale-note" role="status">
          {link.staleReason} Controls come back when Printdeck reconnects.
        </p>
      )}
      {!hostLost && device.lastSeenAt != null && (
        <p className="stale-note" role="note">
          Not live: {formatLastSeen(device.lastSeenAt)}
        </p>
      )}
      <p className="muted">
        {[describeDevice(device), device.serial && `serial ${device.serial}`, device.firmware && `firmware ${device.firmware}`]
          .filter(Boolean)
          .join(' · ')}
      </p>
      {device.problem && (
        <p className="problem" role="alert">
          {device.problem.message}
          {PAIRING_PROBLEMS.has(device.problem.code) && (
            <>
              {' '}
              <a href={hrefFor('settings', pairParam(device.connectionId))} onClick={(e) => (e.preventDefault(), navigate('settings', pairParam(device.connectionId)))}>
                Pair in Settings
              </a>
            </>
          )}
        </p>
      )}
      <div className="device-grid-2">
        <div className="device-col">
          <JobPanel device={device} />
          <BedPanel device={device} />
          <PrintFilePanel device={device} />
          <MaintenancePanel device={device} />
        </div>
        <div className="device-col">
          {/* A family that reports no temperatures (the cloud) gets no empty chart. */}
          {(samples.length > 0 || device.temperatures.length > 0) && (
            <section className="panel" aria-labelledby="temps-title">
              <h2 id="temps-title">Temperatures</h2>
              <TemperatureChart samples={samples} />
            </section>
          )}
          {device.filament && (
            <section className="panel" aria-labelledby="filament-title">
              <h2 id="filament-title">Filament</h2>
              <dl className="facts">
                {device.filament.material && (
                  <>
                    <dt>Material</dt>
                    <dd>{device.filament.material}</dd>
                  </>
                )}
                <dt>Left</dt>
                <dd>{device.filament.remainingMm === null ? 'unknown' : `${(device.filament.remainingMm / 1000).toFixed(1)} m`}</dd>
                {device.filament.totalMm !== null && (
                  <>
                    <dt>Spool</dt>
                    <dd>{(device.filament.totalMm / 1000).toFixed(0)} m</dd>
                  </>
                )}
              </dl>
            </section>
          )}
          <CameraPanel device={device} />
        </div>
      </div>
      <FamilyPanel device={device} />
    </article>
  );
}
