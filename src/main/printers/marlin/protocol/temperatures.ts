/** One sensor reading from a temperature report, with the family's own sensor ids. */
export interface TemperatureReading {
  /** `tool0`, `tool1`, `bed`, `chamber`, or the firmware's own key for other sensors. */
  sensor: string;
  actual: number;
  target: number | null;
}

const ENTRY = /(?:^|\s)(B|C|T\d*|[A-Z]):\s*(-?\d+(?:\.\d+)?)(?:\s*\/\s*(-?\d+(?:\.\d+)?))?/g;

/**
 * True when a line is a temperature report: `ok T:…` (M105), ` T:… B:…` (auto-report, leading
 * space, no ok), or ` T:… W:?` while M109/M190 wait. Position reports (with `A:`) are not.
 */
export function isTemperatureLine(line: string): boolean {
  return /(^|\s)(T\d*|B):\s*-?\d/.test(line) && !/(^|\s)A:/.test(line);
}

/**
 * Readings in a report. Any precision parses (1.x printed one decimal). `T` is the active tool;
 * when per-tool `T0:`… follow, those win and the bare `T` is dropped. `T` with only `T1:`… and no
 * `T0:` is the Smoothieware style, where `T` is tool 0. Power entries (`@:`, `B@:`) and `W:` are not
 * sensors; the first occurrence of a key wins.
 */
export function parseTemperatures(line: string): TemperatureReading[] {
  const byKey = new Map<string, { actual: number; target: number | null }>();
  for (const m of line.matchAll(ENTRY)) {
    const key = m[1]!;
    if (key === 'W' || key === 'A' || byKey.has(key)) continue;
    byKey.set(key, { actual: Number(m[2]), target: m[3] === undefined ? null : Number(m[3]) });
  }
  const hasT0 = byKey.has('T0');
  const out: TemperatureReading[] = [];
  for (const [key, value] of byKey) {
    let sensor: string;
    if (key === 'T') {
      if (hasT0) continue;
      sensor = 'tool0';
    } else if (/^T\d+$/.test(key)) sensor = `tool${key.slice(1)}`;
    else if (key === 'B') sensor = 'bed';
    else if (key === 'C') sensor = 'chamber';
    else sensor = key;
    if (!Number.isFinite(value.actual)) continue;
    out.push({ sensor, actual: value.actual, target: value.target !== null && Number.isFinite(value.target) ? value.target : null });
  }
  return out.slice(0, 16);
}
