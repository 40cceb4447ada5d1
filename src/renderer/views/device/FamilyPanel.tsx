import type { DeviceStatus } from '../../../shared/contract';
import { CloudPrinterPanels } from './cloud/CloudPrinterPanels';
import { OctoprintPanels } from './octoprint/OctoprintPanels';

/**
 * Family-specific panels on the device page (OctoPrint terminal and files, cloud history, …).
 * Each family adds its component to this switch; the generic page shows state, progress,
 * temperatures, print, pause/resume/cancel, maintenance and the camera for every printer.
 */
/** Families whose own panel has a jog and home pad, so the generic maintenance panel leaves those out. */
export const FAMILY_JOG_PAD: ReadonlySet<DeviceStatus['family']> = new Set(['octoprint']);

export function FamilyPanel({ device }: { device: DeviceStatus }) {
  switch (device.family) {
    case 'octoprint':
      return <OctoprintPanels device={device} />;
    case 'cloud':
      return <CloudPrinterPanels device={device} />;
    default:
      return null;
  }
}
