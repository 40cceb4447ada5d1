import type { SimulatorPlanEntry } from '../demo/simulator';
import { moonrakerSimulator } from './simulator';

function demoGcode(moves: number): string {
  const lines = ['; Printdeck demo part for Klipper', 'PRINT_START BED=60 EXTRUDER=205'];
  for (let i = 0; i < moves; i++) lines.push(`G1 X${20 + (i % 9) * 10} Y${20 + ((i * 7) % 9) * 10} E${(i * 0.02).toFixed(3)} F6000`);
  lines.push('PRINT_END');
  return lines.join('\n');
}

/** The Klipper printer of the built-in demo fleet: Moonraker with an API key registered as the connection's secret. */
export function moonrakerDemoPlan(): SimulatorPlanEntry[] {
  return [
    {
      id: 'moonraker-1',
      factory: moonrakerSimulator({
        name: 'Klipper Voron 2.4',
        registerKey: 'e514851f37b94c779d955212b6906f95',
        apiKeys: ['e514851f37b94c779d955212b6906f95'],
        timeScale: 4,
        bytesPerSecond: 400,
        files: { 'voron-cube.gcode': demoGcode(1500) },
        hue: 300,
        pastJobs: 24,
      }),
    },
  ];
}
