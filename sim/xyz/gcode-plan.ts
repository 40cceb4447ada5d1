/**
 * What the simulated printer takes from a G-code file to "print" it: how long it takes, how much
 * filament it uses, the nozzle temperature and the layer count. Header keys win (`print_time`,
 * `total_filament`, `total_layers`), else the moves are measured.
 */
export interface PrintPlan {
  totalSec: number;
  filamentMm: number;
  nozzleC: number;
  bedC: number | null;
  layers: number;
}

const HEADER = /^;\s*([A-Za-z_]+)\s*=\s*(.+?)\s*$/;
const WORD = /([A-Z])(-?\d+(?:\.\d+)?)/g;

export function planFromGcode(gcode: Uint8Array): PrintPlan {
  const text = Buffer.from(gcode.buffer, gcode.byteOffset, gcode.length).toString('latin1');
  const header = new Map<string, string>();
  let x = 0;
  let y = 0;
  let z = 0;
  let feed = 3000;
  let maxE = 0;
  let seconds = 0;
  let nozzleC: number | null = null;
  let bedC: number | null = null;
  const zs = new Set<number>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith(';')) {
      const m = HEADER.exec(line);
      if (m?.[1] && m[2] !== undefined && !header.has(m[1])) header.set(m[1], m[2]);
      continue;
    }
    const code = line.split(';', 1)[0] ?? '';
    const words = new Map<string, number>();
    for (const m of code.matchAll(WORD)) if (m[1] && m[2]) words.set(m[1], Number(m[2]));
    const g = code.startsWith('G') ? words.get('G') : undefined;
    const mcode = code.startsWith('M') ? words.get('M') : undefined;
    if (g === 0 || g === 1) {
      const nx = words.get('X') ?? x;
      const ny = words.get('Y') ?? y;
      const nz = words.get('Z') ?? z;
      feed = words.get('F') ?? feed;
      const dist = Math.hypot(nx - x, ny - y, nz - z);
      if (feed > 0) seconds += dist / (feed / 60);
      x = nx;
      y = ny;
      if (nz !== z) zs.add(nz);
      z = nz;
      const e = words.get('E');
      if (e !== undefined) maxE = Math.max(maxE, e);
    } else if ((mcode === 104 || mcode === 109) && nozzleC === null) {
      const s = words.get('S');
      if (s !== undefined && s > 0) nozzleC = s;
    } else if ((mcode === 140 || mcode === 190) && bedC === null) {
      const s = words.get('S');
      if (s !== undefined && s > 0) bedC = s;
    }
  }
  const num = (key: string): number | null => {
    const v = Number(header.get(key));
    return Number.isFinite(v) && v > 0 ? v : null;
  };
  return {
    totalSec: Math.max(10, num('print_time') ?? (seconds || 600)),
    filamentMm: num('total_filament') ?? maxE,
    // The nano's XYZ files comment the heater commands out: the filament tag decides.
    nozzleC: nozzleC ?? 210,
    bedC,
    layers: num('total_layers') ?? Math.max(1, zs.size),
  };
}
