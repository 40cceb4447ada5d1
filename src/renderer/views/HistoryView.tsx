import { useCallback, useEffect, useState } from 'react';
import { useElementWidth } from '../components/use-element-width';
import type { HistoryBucket, HistoryScope, HistoryStats, PrintRecord, StatsRow } from '../../shared/contract';
import { api } from '../api';
import { useAppStore } from '../stores/app-store';
import { useDevicesStore } from '../stores/devices-store';
import { followQueue, useQueueStore } from '../stores/queue-store';
import { subscribeStore } from '../stores/subscribe-store';
import { formatDuration } from './format';

const DAY = 86_400_000;
const RANGES = [
  { days: 7, label: 'Last 7 days' },
  { days: 30, label: 'Last 30 days' },
  { days: 90, label: 'Last 90 days' },
  { days: 365, label: 'Last year' },
];
/** Where an imported print came from: the printer's own history, which Printdeck did not watch. */
const IMPORTED_TEXT: Record<NonNullable<PrintRecord['importedFrom']>, string> = {
  octoprint: 'from OctoPrint',
  armory: 'from Armory',
  moonraker: 'from Klipper',
};

const OUTCOME_TEXT: Record<PrintRecord['outcome'], string> = {
  running: 'Running',
  success: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Every print on every printer, with statistics per day, week or month and a CSV download. */
export function HistoryView() {
  const errorToast = useAppStore((s) => s.errorToast);
  const devices = useDevicesStore((s) => s.byId);
  const printers = useQueueStore((s) => s.printers);
  const [days, setDays] = useState(30);
  const [bucket, setBucket] = useState<HistoryBucket>('day');
  const [scopeValue, setScopeValue] = useState('fleet');
  const [stats, setStats] = useState<HistoryStats | null>(null);
  const [records, setRecords] = useState<PrintRecord[]>([]);
  const [total, setTotal] = useState(0);

  const scope: HistoryScope =
    scopeValue === 'fleet'
      ? { kind: 'fleet' }
      : scopeValue.startsWith('tag:')
        ? { kind: 'tag', tag: scopeValue.slice(4) }
        : { kind: 'printer', deviceId: scopeValue.slice(8) };
  const scopeKey = JSON.stringify(scope);
  const load = useCallback(async () => {
    const to = Date.now() + 60_000;
    const range = { from: Math.max(0, to - days * DAY), to, scope: JSON.parse(scopeKey) as HistoryScope };
    const [s, l] = await Promise.all([
      api().call('history.stats', { ...range, bucket }),
      api().call('history.list', { ...range, limit: 200 }),
    ]);
    if (s.ok) setStats(s.value);
    if (l.ok) {
      setRecords(l.value.records);
      setTotal(l.value.total);
    }
  }, [days, bucket, scopeKey]);

  useEffect(() => followQueue(), []);
  useEffect(() => subscribeStore({ events: { 'history.changed': () => void load() }, reload: load }), [load]);

  const download = async () => {
    const to = Date.now() + 60_000;
    const r = await api().call('history.exportCsv', { from: Math.max(0, to - days * DAY), to, scope });
    if (!r.ok) return errorToast('Could not export the history', r.error);
    const url = URL.createObjectURL(new Blob([r.value.csv], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `printdeck-history-${new Date().toISOString().slice(0, 10)}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
  };

  const tags = [...new Set(printers.flatMap((p) => p.tags))].sort();
  return (
    <section className="history" aria-labelledby="history-title">
      <div className="section-head">
        <h1 id="history-title">Print history</h1>
        <button type="button" onClick={() => void download()}>
          Download CSV
        </button>
      </div>
      <div className="panel queue-add">
        <label>
          Range{' '}
          <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {RANGES.map((r) => (
              <option key={r.days} value={r.days}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Per{' '}
          <select value={bucket} onChange={(e) => setBucket(e.target.value as HistoryBucket)}>
            <option value="day">Day</option>
            <option value="week">Week</option>
            <option value="month">Month</option>
          </select>
        </label>
        <label>
          Printers{' '}
          <select value={scopeValue} onChange={(e) => setScopeValue(e.target.value)}>
            <option value="fleet">All printers</option>
            {tags.map((t) => (
              <option key={t} value={`tag:${t}`}>
                Tagged “{t}”
              </option>
            ))}
            {printers.map((p) => (
              <option key={p.deviceId} value={`printer:${p.deviceId}`}>
                {devices[p.deviceId]?.name ?? p.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {stats && (
        <div className="panel">
          <dl className="facts stats-facts">
            <dt>Prints</dt>
            <dd>{stats.total.prints}</dd>
            <dt>Failed</dt>
            <dd>{stats.total.failed}</dd>
            <dt>Success rate</dt>
            <dd>{stats.total.successPct === null ? '—' : `${stats.total.successPct}%`}</dd>
            <dt>Print hours</dt>
            <dd>{stats.total.printHours}</dd>
            <dt>Utilisation</dt>
            <dd>{stats.total.utilisationPct}%</dd>
            <dt>Filament</dt>
            <dd>{(stats.total.filamentMm / 1000).toFixed(1)} m</dd>
          </dl>
          <BarChart rows={stats.rows} bucket={bucket} />
        </div>
      )}
      <table className="table" aria-describedby="history-count">
        <caption id="history-count" className="muted small">
          {total > records.length ? `The latest ${records.length} of ${total} prints` : `${total} prints`}
        </caption>
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Printer</th>
            <th scope="col">File</th>
            <th scope="col">Outcome</th>
            <th scope="col">Duration</th>
            <th scope="col">Started by</th>
          </tr>
        </thead>
        <tbody>
          {records.map((r) => (
            <tr key={r.id}>
              <td>{new Date(r.startedAt).toLocaleString()}</td>
              <td>{r.printerName}</td>
              <td>{r.fileName ?? '—'}</td>
              <td title={r.reason ?? undefined}>
                <span
                  className={`pill pill-${r.outcome === 'failed' ? 'error' : r.outcome === 'running' ? 'printing' : r.outcome === 'success' ? 'done' : 'idle'}`}
                >
                  {OUTCOME_TEXT[r.outcome]}
                </span>
              </td>
              <td>{formatDuration(r.durationSec)}</td>
              <td>{r.importedFrom ? IMPORTED_TEXT[r.importedFrom] : r.origin}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const DEFAULT_W = 640;
const MIN_W = 280;
const H = 160;

/** Prints per bucket as stacked bars (succeeded, failed, cancelled), drawn in SVG across its panel. */
function BarChart({ rows, bucket }: { rows: StatsRow[]; bucket: HistoryBucket }) {
  const [ref, measured] = useElementWidth<HTMLElement>(DEFAULT_W);
  const W = Math.max(MIN_W, measured);
  if (rows.length === 0) return <p className="muted">No prints in this range.</p>;
  const max = Math.max(1, ...rows.map((r) => r.prints));
  const step = W / rows.length;
  const bar = Math.max(2, step * 0.7);
  const label = (t: number) =>
    new Date(t).toLocaleDateString(
      undefined,
      bucket === 'month' ? { month: 'short', year: '2-digit' } : { month: 'short', day: 'numeric' },
    );
  return (
    <figure className="chart" ref={ref}>
      <svg
        viewBox={`0 0 ${W} ${H + 20}`}
        role="img"
        aria-label={`Prints per ${bucket}: ${rows.map((r) => `${label(r.bucketStart)} ${r.prints}`).join(', ')}`}
      >
        <line className="chart-grid" x1={0} x2={W} y1={H} y2={H} />
        {rows.map((r, i) => {
          const x = i * step + (step - bar) / 2;
          let y = H;
          const parts: [number, string][] = [
            [r.succeeded, 'var(--ok)'],
            [r.failed, 'var(--err)'],
            [r.cancelled + (r.prints - r.succeeded - r.failed - r.cancelled), 'var(--muted)'],
          ];
          return (
            <g key={r.bucketStart}>
              <title>{`${label(r.bucketStart)}: ${r.prints} prints, ${r.succeeded} succeeded, ${r.failed} failed, ${r.printHours} h, ${r.utilisationPct}% busy`}</title>
              {parts.map(([n, color], k) => {
                const h = (n / max) * (H - 10);
                y -= h;
                return n > 0 ? <rect key={k} x={x} y={y} width={bar} height={h} fill={color} /> : null;
              })}
              {(rows.length <= 12 || i % Math.ceil(rows.length / 12) === 0) && (
                <text className="chart-tick" x={x + bar / 2} y={H + 14} textAnchor="middle">
                  {label(r.bucketStart)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="chart-legend">
        <span>
          <span className="chart-swatch" style={{ background: 'var(--ok)' }} />
          Succeeded
        </span>
        <span>
          <span className="chart-swatch" style={{ background: 'var(--err)' }} />
          Failed
        </span>
        <span>
          <span className="chart-swatch" style={{ background: 'var(--muted)' }} />
          Cancelled or running
        </span>
      </figcaption>
    </figure>
  );
}
