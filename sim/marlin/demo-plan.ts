import type { SimulatorPlanEntry } from '../demo/simulator';
import { hasSocat } from '../xyz/pty-link';
import { marlinSimulator } from './simulator';

/** One Marlin printer on a USB serial port (a socat pty), where socat exists. */
export function marlinDemoPlan(): SimulatorPlanEntry[] {
  if (!hasSocat()) {
    console.warn('[marlin demo] socat is not installed: the Marlin printer (pty) is left out of the demo fleet.');
    return [];
  }
  return [
    {
      id: 'marlin-1',
      factory: marlinSimulator({
        connectionName: 'Marlin printer (demo, USB)',
        baud: 115200,
        advancedOk: true,
        emergencyParser: true,
        hostActions: true,
        moveMs: 40,
        homeMs: 1_500,
        timeScale: 20,
        heatRate: 2,
      }),
    },
  ];
}
