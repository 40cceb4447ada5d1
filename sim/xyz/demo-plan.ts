import type { SimulatorPlanEntry } from '../demo/simulator';
import { hasSocat } from './pty-link';
import { xyzSimulator } from './simulator';

/**
 * Simulated seconds per real second in the demo: a typical small demo file (a few minutes of
 * printing at the slicer's estimate, plus heating) finishes in about a minute.
 */
export const XYZ_DEMO_TIME_SCALE = 20;

/** The da Vinci printers of the built-in demo fleet: several models, USB (pty) and Wi-Fi; two nanos, so the queue has a pair to share work between. */
export function xyzDemoPlan(): SimulatorPlanEntry[] {
  const common = { timeScale: XYZ_DEMO_TIME_SCALE, fileCheckSec: 40, doneHoldSec: 600 };
  const plan: SimulatorPlanEntry[] = [
    { id: 'xyz-mini-w', factory: xyzSimulator({ ...common, transport: 'tcp', model: 'dv1MW0A000', connectionName: 'da Vinci mini w (demo)' }) },
    { id: 'xyz-jr-w', factory: xyzSimulator({ ...common, transport: 'tcp', model: 'dv1JW0A000', connectionName: 'da Vinci Jr. 1.0w (demo)' }) },
    { id: 'xyz-1-1-plus', factory: xyzSimulator({ ...common, transport: 'tcp', model: 'dvF110B000', connectionName: 'da Vinci 1.1 Plus (demo)' }) },
  ];
  if (hasSocat()) {
    plan.unshift(
      { id: 'xyz-nano', factory: xyzSimulator({ ...common, transport: 'pty', model: 'dv1NX0A000', connectionName: 'da Vinci nano (demo, USB)' }) },
      { id: 'xyz-nano-2', factory: xyzSimulator({ ...common, transport: 'pty', model: 'dv1NX0A000', serial: '3FNAXPUS5TH7CM0042', connectionName: 'da Vinci nano 2 (demo, USB)' }) },
      // The old XYZ_@3D (v2) protocol: prints, no job control from Printdeck (see V2Backend).
      { id: 'xyz-1-0', factory: xyzSimulator({ ...common, transport: 'pty', model: 'dvF100B000', connectionName: 'da Vinci 1.0 (demo, USB)' }) },
    );
  } else {
    console.warn('[xyz demo] socat is not installed: the USB da Vinci nanos and 1.0 (pty) are left out of the demo fleet.');
  }
  return plan;
}
