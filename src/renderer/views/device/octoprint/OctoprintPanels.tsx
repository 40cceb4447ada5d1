import type { DeviceStatus } from '../../../../shared/contract';
import { ConnectionControls } from './ConnectionControls';
import { JogPad } from './JogPad';
import { ServerFilesPanel } from './ServerFilesPanel';
import { TargetsPanel } from './TargetsPanel';
import { TerminalPanel } from './TerminalPanel';
import { useOctoprintDetails } from './use-octoprint';

/** What only an OctoPrint offers on the device page: its files, terminal, jog pad, heaters and serial link. */
export function OctoprintPanels({ device }: { device: DeviceStatus }) {
  // Reload the details when the link or the printer's state changes (connect, disconnect, print).
  const { details } = useOctoprintDetails(device.deviceId, `${device.link}:${device.state}`);
  if (device.link === 'error' && device.problem?.code.startsWith('octoprint.')) return null;
  const operational = details?.operational ?? (device.link === 'online' && device.state !== 'offline' && device.state !== 'error');
  return (
    <div className="device-grid-2 octoprint-panels">
      <div className="device-col">
        <ServerFilesPanel device={device} operational={operational} />
        <TerminalPanel device={device} />
      </div>
      <div className="device-col">
        <TargetsPanel device={device} details={details} />
        <JogPad device={device} operational={operational} />
        <ConnectionControls device={device} details={details} />
      </div>
    </div>
  );
}
