import { useShallow } from 'zustand/react/shallow';
import type { DeviceStatus } from '../../shared/contract';
import { DiscoveryOffers } from '../components/DiscoveryOffers';
import { EmptyState } from '../components/EmptyState';
import { useAppStore } from '../stores/app-store';
import { useConnectionsStore } from '../stores/connections-store';
import { useDemoStore } from '../stores/demo-store';
import { DevicePage } from './device/DevicePage';
import { FleetView, useFleetDevices } from './fleet/FleetView';
import { isPrinting, isUnreachable } from '../../shared/domain/device-state';
import { ADD_CONNECTION_PARAM } from './settings/ConnectionsManager';

export { DeviceCard } from './fleet/DeviceCard';

export function DevicesView() {
  const param = useAppStore((s) => s.param);
  return param ? <DevicePage deviceId={param} /> : <DeviceList />;
}

function DeviceList() {
  const devices = useFleetDevices();
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
      <FleetView devices={devices} />
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

