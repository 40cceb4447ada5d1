import type { SimulatorPlanEntry } from '../demo/simulator';
import { octoprintSimulator } from './simulator';

/** Demo G-code: heats, then a few hundred moves (about a minute at the demo's time scale). */
function demoGcode(layers: number): string {
  const lines = ['; Printdeck demo part', 'M140 S60', 'M104 S205', 'M190 S60', 'M109 S205', 'G28'];
  for (let layer = 1; layer <= layers; layer++) {
    lines.push(`G1 Z${(layer * 0.2).toFixed(2)} F600`);
    for (let i = 0; i < 20; i++) lines.push(`G1 X${20 + (i % 5) * 10} Y${20 + Math.floor(i / 5) * 10} E${(layer * 0.5 + i * 0.02).toFixed(3)} F1800`);
  }
  lines.push('M104 S0', 'M140 S0', 'M84');
  return lines.join('\n');
}

/**
 * The octoprint simulators of the built-in demo fleet. Two are registered with an API key as the
 * connection secret (the demo works without pairing); the third has none, to show pairing (its
 * requests are approved after a few seconds, or at once from the page the pairing opens). The
 * Ender 3 has no webcam configured.
 */
export function octoprintDemoPlan(): SimulatorPlanEntry[] {
  const files = { 'demo-cube.gcode': demoGcode(12), 'calibration/first-layer.gcode': demoGcode(2) };
  return [
    { id: 'octoprint-1', factory: octoprintSimulator({ name: 'OctoPrint Prusa MK3S', registerKey: 'DEMO-OCTOPRINT-KEY-1', apiKeys: ['DEMO-OCTOPRINT-KEY-1'], timeScale: 4, files, hue: 40, pastPrints: true }) },
    // No webcam set up, as a fresh OctoPrint 1.11 reports it: its page offers no snapshot.
    { id: 'octoprint-2', factory: octoprintSimulator({ name: 'OctoPrint Ender 3', registerKey: 'DEMO-OCTOPRINT-KEY-2', apiKeys: ['DEMO-OCTOPRINT-KEY-2'], timeScale: 4, files, hue: 140, webcam: false, pastPrints: true }) },
    { id: 'octoprint-3', factory: octoprintSimulator({ name: 'OctoPrint Voron', apiKeys: ['DEMO-OCTOPRINT-ADMIN'], timeScale: 4, files, autoApproveMs: 3000, hue: 220 }) },
  ];
}
