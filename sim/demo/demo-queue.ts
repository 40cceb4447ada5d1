import type { DemoQueueJob } from '../../src/main/demo-fleet-port';
import type { DemoStartRequest } from '../../src/shared/contract';

/** A part of `moves` extrusion moves, with a slicer header naming the printer it was made for. */
function part(title: string, header: string[], moves: number): string {
  const lines = [`; ${title} (Printdeck demo queue)`, ...header, 'M140 S60', 'M104 S205', 'M190 S60', 'M109 S205', 'G28', 'G90', 'M82'];
  for (let i = 0; i < moves; i++) {
    if (i % 40 === 0) lines.push(`G1 Z${(0.2 + (i / 40) * 0.2).toFixed(2)} F600`);
    lines.push(`G1 X${30 + (i % 7) * 8} Y${30 + ((i * 3) % 7) * 8} E${(i * 0.03).toFixed(3)} F1800`);
  }
  lines.push('M104 S0', 'M140 S0', 'M84');
  return lines.join('\n') + '\n';
}

/**
 * What `serve --demo` finds in an empty queue, so a newcomer sees it work: two copies of a part
 * for the OctoPrint Prusa (the first prints at once, the second waits for its bed to be cleared),
 * a held job, one for a tag no printer has yet, and one made for a da Vinci mini the fleet lacks —
 * each waiting with its reason on the Queue screen. None is for the nanos, the Klipper printer or
 * the printers the end-to-end tests drive. A lab at scale (`--demo-printers N`) gets none: its
 * figures are about the printers alone.
 */
export function defaultDemoQueue(options: DemoStartRequest = {}): DemoQueueJob[] {
  if (options.printers !== undefined) return [];
  return [
    {
      fileName: 'demo-cable-clip.gcode',
      gcode: part('Cable clip', ['; printer_model = MK3S', '; nozzle_diameter = 0.4'], 1200),
      target: { kind: 'simulator', id: 'octoprint-1' },
      copies: 2,
    },
    { fileName: 'demo-vase.gcode', gcode: part('Spiral vase', [], 800), target: { kind: 'any' }, held: true },
    { fileName: 'demo-night-batch.gcode', gcode: part('Night batch', [], 800), target: { kind: 'tag', tag: 'night-shift' } },
    { fileName: 'demo-mini-keychain.gcode', gcode: part('Keychain', ['; machine = dv1MX0A000'], 400), target: { kind: 'any' } },
  ];
}
