import type { TemperatureSample } from '../../shared/contract';
import { useElementWidth } from './use-element-width';

const COLORS: Record<string, string> = { nozzle: 'var(--chart-1)', tool0: 'var(--chart-1)', tool1: 'var(--chart-3)', bed: 'var(--chart-2)', chamber: 'var(--chart-4)' };
/** Drawn at the width of its panel; this until it is measured, and never narrower than MIN_WIDTH. */
const DEFAULT_WIDTH = 640;
const MIN_WIDTH = 280;
const HEIGHT = 220;
const PAD = { left: 40, right: 12, top: 12, bottom: 26 };

function label(sensor: string): string {
  if (sensor === 'tool0' || sensor === 'nozzle') return 'Nozzle';
  if (sensor.startsWith('tool')) return `Nozzle ${Number(sensor.slice(4)) + 1}`;
  return sensor.charAt(0).toUpperCase() + sensor.slice(1);
}

/**
 * Temperatures over the last minutes: actual as solid lines, targets dashed. The SVG carries a
 * summary for screen readers; the numbers themselves are also on the page as text.
 */
export function TemperatureChart({ samples, windowSec = 600, now = Date.now() }: { samples: TemperatureSample[]; windowSec?: number; now?: number }) {
  const [ref, measured] = useElementWidth<HTMLElement>(DEFAULT_WIDTH);
  const WIDTH = Math.max(MIN_WIDTH, measured);
  const from = now - windowSec * 1000;
  const visible = samples.filter((s) => s.t >= from);
  const sensors = [...new Set(visible.map((s) => s.sensor))];
  const values = visible.flatMap((s) => [s.actual, s.target]).filter((v): v is number => v !== null);
  const step = Math.max(...values, 0) + 10 > 120 ? 50 : 20;
  const maxY = Math.max(60, Math.ceil((Math.max(0, ...values) + 10) / step) * step);
  const x = (t: number) => PAD.left + ((t - from) / (windowSec * 1000)) * (WIDTH - PAD.left - PAD.right);
  const y = (v: number) => HEIGHT - PAD.bottom - (v / maxY) * (HEIGHT - PAD.top - PAD.bottom);
  const path = (sensor: string, key: 'actual' | 'target') =>
    visible
      .filter((s) => s.sensor === sensor && s[key] !== null)
      .map((s, i) => `${i === 0 ? 'M' : 'L'}${x(s.t).toFixed(1)},${y(s[key] as number).toFixed(1)}`)
      .join(' ');
  const latest = sensors.map((sensor) => {
    const last = [...visible].reverse().find((s) => s.sensor === sensor);
    return { sensor, actual: last?.actual ?? null, target: last?.target ?? null };
  });
  const summary =
    latest.length === 0
      ? 'No temperature readings yet.'
      : 'Temperatures: ' +
        latest.map((l) => `${label(l.sensor)} ${l.actual === null ? 'unknown' : `${Math.round(l.actual)} °C`}${l.target ? `, target ${Math.round(l.target)} °C` : ''}`).join('; ');
  const ticks = Array.from({ length: maxY / step + 1 }, (_, i) => i * step);
  const minutes = Math.round(windowSec / 60);

  return (
    <figure className="chart" ref={ref}>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} className="chart-grid" />
            <text x={PAD.left - 6} y={y(t) + 4} className="chart-tick" textAnchor="end">
              {t}°
            </text>
          </g>
        ))}
        <text x={PAD.left} y={HEIGHT - 6} className="chart-tick">
          −{minutes} min
        </text>
        <text x={WIDTH - PAD.right} y={HEIGHT - 6} className="chart-tick" textAnchor="end">
          now
        </text>
        {sensors.map((sensor) => (
          <g key={sensor} stroke={COLORS[sensor] ?? 'var(--chart-4)'} fill="none">
            <path d={path(sensor, 'target')} strokeDasharray="5 4" strokeWidth={1.5} opacity={0.7} />
            <path d={path(sensor, 'actual')} strokeWidth={2.2} />
          </g>
        ))}
      </svg>
      <figcaption className="chart-legend">
        {latest.map((l) => (
          <span key={l.sensor}>
            <span className="chart-swatch" style={{ background: COLORS[l.sensor] ?? 'var(--chart-4)' }} aria-hidden="true" />
            {label(l.sensor)} {l.actual === null ? '—' : `${Math.round(l.actual)} °C`}
            {l.target ? ` → ${Math.round(l.target)} °C` : ''}
          </span>
        ))}
        {latest.length > 0 && <span className="muted small">dashed: target</span>}
      </figcaption>
    </figure>
  );
}
