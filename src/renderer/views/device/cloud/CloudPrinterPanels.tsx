import type { DeviceStatus } from '../../../../shared/contract';
import { hrefFor, useAppStore } from '../../../stores/app-store';
import { HistoryPanel } from '../../cloud/HistoryPanel';

/**
 * What the cloud knows about one of its printers beyond the live state: its print history
 * (covers, outcomes, durations), and the way to the account's Cloud screen.
 */
export function CloudPrinterPanels({ device }: { device: DeviceStatus }) {
  const navigate = useAppStore((s) => s.navigate);
  return (
    <section className="panel" aria-label={`${device.name} in the cloud`}>
      <p className="small">
        This printer is reported by a cloud account; Printdeck shows what the cloud tells, and cannot control it.{' '}
        <a href={hrefFor('cloud')} onClick={(e) => (e.preventDefault(), navigate('cloud'))}>
          Open the cloud account (all printers, history, inbox)
        </a>
      </p>
      {device.serial && <HistoryPanel connectionId={device.connectionId} initialDevId={device.serial} />}
    </section>
  );
}
