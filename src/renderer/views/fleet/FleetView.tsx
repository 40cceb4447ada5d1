import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { DeviceStatus, PrinterFamily } from '../../../shared/contract';
import { isUnreachable } from '../../../shared/domain/device-state';
import { BULK_LABEL, bulkTargets, runBulk, type BulkAction } from '../../fleet/bulk-actions';
import {
  fleetRows,
  groupOf,
  matchesFilter,
  moveFocus,
  naturalCompare,
  needsAttention,
  NO_FILTER,
  rowOffsets,
  stableOrder,
  visibleByOffsets,
  type FleetFilter,
  type SortBy,
  type StateFilter,
} from '../../fleet/fleet-view';
import { api } from '../../api';
import { useWatchDevices } from '../../fleet/use-watch';
import { useAppStore } from '../../stores/app-store';
import { useDevicesStore } from '../../stores/devices-store';
import { formatDuration } from '../format';
import { BulkSend } from './BulkSend';
import { CameraWall } from './CameraWall';
import { DeviceCard } from './DeviceCard';
import { sameProps } from './same-props';

type Layout = 'grid' | 'list' | 'cameras';

const CARD_WIDTH = 280;
// A printing card (name, job, progress, times, two temperatures) is about 215 px tall, plus the gap.
const ROW_HEIGHT: Record<Layout, number> = { grid: 232, list: 40, cameras: 232 };
const HEADER_HEIGHT = 44;
const STATES: { id: StateFilter; label: string }[] = [
  { id: 'attention', label: 'Needs attention' },
  { id: 'printing', label: 'Printing' },
  { id: 'paused', label: 'Paused' },
  { id: 'idle', label: 'Idle' },
];
const FAMILIES: { id: PrinterFamily; label: string }[] = [
  { id: 'xyz', label: 'da Vinci' },
  { id: 'octoprint', label: 'OctoPrint' },
  { id: 'moonraker', label: 'Klipper' },
  { id: 'cloud', label: 'Cloud' },
];
const SORTS: { id: SortBy; label: string }[] = [
  { id: 'name', label: 'Name' },
  { id: 'state', label: 'State' },
  { id: 'progress', label: 'Progress' },
  { id: 'remaining', label: 'Time left' },
];

/**
 * The Devices screen for fleets of any size: search, filters and a sort whose order holds still
 * while printers change state; a virtual grid or table (only rows on screen are in the DOM, and
 * only their devices are watched at full rate); keyboard navigation; bulk pause, resume, cancel.
 */
export function FleetView({ devices }: { devices: DeviceStatus[] }) {
  const [filter, setFilter] = useState<FleetFilter>(NO_FILTER);
  const [sortBy, setSortBy] = useState<SortBy>('state');
  const [layout, setLayout] = useState<Layout>('grid');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const tags = useDevicesStore((s) => s.tags);
  const [tagFilter, setTagFilter] = useState<string | null>(null);
  const [grouped, setGrouped] = useState(false);
  const groupBy = useMemo(() => (grouped ? (d: DeviceStatus) => groupOf(tags[d.deviceId]) : null), [grouped, tags]);
  const allTags = useMemo(() => [...new Set(Object.values(tags).flat())].sort(naturalCompare), [tags]);
  // Keys taken when the sort was chosen; replaced (not mutated) when the user sorts again.
  const [sortKeys, setSortKeys] = useState(() => new Map<string, readonly [number, string]>());
  const byId = useMemo(() => new Map(devices.map((d) => [d.deviceId, d])), [devices]);
  // Statuses change many times a second; the order only when printers come or go or the sort changes.
  const latest = useRef(devices);
  latest.current = devices;
  const membership = useMemo(() => devices.map((d) => d.deviceId).join('\n'), [devices]);
  const order = useMemo(() => (membership === '' ? [] : stableOrder(latest.current, sortBy, sortKeys)), [membership, sortBy, sortKeys]);
  const shown = useMemo(
    () =>
      order
        .map((id) => byId.get(id)!)
        .filter((d) => {
          const own = tags[d.deviceId] ?? [];
          if (tagFilter !== null && !own.includes(tagFilter)) return false;
          // Tags are searched too: "Room 2" finds the printers in room 2.
          return matchesFilter(d, filter) || (filter.query.trim() !== '' && matchesFilter(d, { ...filter, query: '' }) && own.some((t) => t.toLowerCase().includes(filter.query.trim().toLowerCase())));
        }),
    [order, byId, filter, tags, tagFilter],
  );
  const attention = useMemo(() => devices.filter(needsAttention).length, [devices]);

  const chooseSort = (next: SortBy) => {
    setSortBy(next);
    setSortKeys(new Map());
  };
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <div className="fleet">
      <div className="fleet-toolbar" role="search">
        <input
          type="search"
          aria-label="Search printers by name, model or file"
          placeholder="Search name, model, file…"
          value={filter.query}
          onChange={(e) => setFilter({ ...filter, query: e.target.value })}
        />
        <div role="group" aria-label="Filter by state" className="chips">
          {STATES.map((s) => {
            const on = filter.states.includes(s.id);
            return (
              <button
                key={s.id}
                type="button"
                className="chip"
                aria-pressed={on}
                onClick={() => setFilter({ ...filter, states: on ? filter.states.filter((x) => x !== s.id) : [...filter.states, s.id] })}
              >
                {s.label}
                {s.id === 'attention' ? ` (${attention})` : ''}
              </button>
            );
          })}
        </div>
        <label>
          Family{' '}
          <select value={filter.family ?? ''} onChange={(e) => setFilter({ ...filter, family: (e.target.value || null) as PrinterFamily | null })}>
            <option value="">All</option>
            {FAMILIES.map((f) => (
              <option key={f.id} value={f.id}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Tag{' '}
          <select value={tagFilter ?? ''} onChange={(e) => setTagFilter(e.target.value || null)}>
            <option value="">All</option>
            {allTags.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="chip" aria-pressed={grouped} onClick={() => setGrouped(!grouped)}>
          Group by room
        </button>
        <label>
          Sort{' '}
          <select value={sortBy} onChange={(e) => chooseSort(e.target.value as SortBy)}>
            {SORTS.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => chooseSort(sortBy)} title="The order holds still while printers change; sort again to refresh it">
          Re-sort
        </button>
        <div role="group" aria-label="Layout" className="chips">
          {(['grid', 'list', 'cameras'] as const).map((l) => (
            <button key={l} type="button" className="chip" aria-pressed={layout === l} onClick={() => setLayout(l)}>
              {l === 'grid' ? 'Grid' : l === 'list' ? 'List' : 'Camera wall'}
            </button>
          ))}
        </div>
      </div>
      <p className="muted small" aria-live="polite">
        {shown.length === devices.length ? `${devices.length} printers` : `${shown.length} of ${devices.length} printers`}
        {selected.size > 0 ? ` · ${selected.size} selected` : ''}
      </p>
      {selected.size > 0 && <BulkBar devices={[...selected].flatMap((id) => byId.get(id) ?? [])} onDone={() => setSelected(new Set())} />}
      {layout === 'cameras' ? <CameraWall devices={shown} /> : null}
      <VirtualFleet hidden={layout === 'cameras'} devices={shown} layout={layout} selected={selected} onToggle={toggle} groupBy={groupBy} />
    </div>
  );
}

/** The selection's actions; each asks once, listing the printers it will act on. */
function BulkBar({ devices, onDone }: { devices: DeviceStatus[]; onDone: () => void }) {
  const errorToast = useAppStore((s) => s.errorToast);
  const [asking, setAsking] = useState<BulkAction | null>(null);
  const [busy, setBusy] = useState(false);
  const targets = asking ? bulkTargets(devices, asking) : [];
  return (
    <div className="bulk-bar" role="region" aria-label="Selected printers">
      {(['pause', 'resume', 'cancel'] as const).map((a) => (
        <button key={a} type="button" disabled={busy || bulkTargets(devices, a).length === 0} onClick={() => setAsking(a)}>
          {BULK_LABEL[a]} ({bulkTargets(devices, a).length})
        </button>
      ))}
      <BulkSend devices={devices} />
      <TagSelection devices={devices} />
      <button type="button" onClick={onDone}>
        Clear selection
      </button>
      {asking && (
        <div role="dialog" aria-modal="false" aria-labelledby="bulk-title" className="bulk-confirm">
          <h2 id="bulk-title">
            {BULK_LABEL[asking]} {targets.length} {targets.length === 1 ? 'printer' : 'printers'}?
          </h2>
          <ul className="bulk-list">
            {targets.map((d) => (
              <li key={d.deviceId}>{d.name}</li>
            ))}
          </ul>
          <div className="row-actions">
            <button
              type="button"
              className={asking === 'cancel' ? 'danger' : 'primary'}
              disabled={busy}
              onClick={async () => {
                setBusy(true);
                const failed = await runBulk(targets, asking);
                setBusy(false);
                setAsking(null);
                for (const f of failed) errorToast(`${BULK_LABEL[asking]} failed on ${f.device.name}`, f.error);
                if (failed.length === 0) onDone();
              }}
            >
              {busy ? 'Working…' : `${BULK_LABEL[asking]} ${targets.length}`}
            </button>
            <button type="button" disabled={busy} onClick={() => setAsking(null)}>
              Back
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

/** Puts the selected printers in a room or group (a tag), or takes them out. */
function TagSelection({ devices }: { devices: DeviceStatus[] }) {
  const errorToast = useAppStore((s) => s.errorToast);
  const [tag, setTag] = useState('');
  const apply = async (change: 'add' | 'remove') => {
    const name = tag.trim();
    if (name === '') return;
    const r = await api().call('devices.tag', { deviceIds: devices.map((d) => d.deviceId), add: change === 'add' ? [name] : [], remove: change === 'remove' ? [name] : [] });
    if (r.ok) useDevicesStore.getState().setTags(r.value.tags);
    else errorToast('Could not change the tags', r.error);
  };
  return (
    <span className="tag-selection">
      <input aria-label="Room or tag" placeholder="Room or tag" value={tag} maxLength={40} onChange={(e) => setTag(e.target.value)} />
      <button type="button" disabled={tag.trim() === ''} onClick={() => void apply('add')}>
        Add tag
      </button>
      <button type="button" disabled={tag.trim() === ''} onClick={() => void apply('remove')}>
        Remove tag
      </button>
    </span>
  );
}

/** Size of the scrolling area; jsdom (tests) measures 0, so the window stands in. */
function useSize(ref: React.RefObject<HTMLElement | null>): { width: number; height: number } {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setSize({ width: el.clientWidth || window.innerWidth, height: el.clientHeight || window.innerHeight });
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}

function VirtualFleet({
  hidden,
  devices,
  layout,
  selected,
  onToggle,
  groupBy,
}: {
  hidden: boolean;
  devices: DeviceStatus[];
  layout: Layout;
  selected: ReadonlySet<string>;
  onToggle(id: string): void;
  groupBy: ((d: DeviceStatus) => string | null) | null;
}) {
  const navigate = useAppStore((s) => s.navigate);
  const scroller = useRef<HTMLDivElement>(null);
  const { width, height } = useSize(scroller);
  const [scrollTop, setScrollTop] = useState(0);
  const [focus, setFocus] = useState(0);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const focusPending = useRef(false);
  const columns = layout === 'grid' ? Math.max(1, Math.floor(width / CARD_WIDTH)) : 1;
  const rowHeight = ROW_HEIGHT[layout];
  const rows = useMemo(() => fleetRows(devices, columns, groupBy, collapsed), [devices, columns, groupBy, collapsed]);
  const offsets = useMemo(() => rowOffsets(rows.map((r) => (r.kind === 'header' ? HEADER_HEIGHT : rowHeight))), [rows, rowHeight]);
  // What the keyboard walks: the devices in the order shown, collapsed groups left out.
  const reachable = useMemo(() => rows.flatMap((r) => (r.kind === 'cells' ? r.items : [])), [rows]);
  const rowOfIndex = useMemo(() => {
    const map: number[] = [];
    rows.forEach((r, i) => {
      if (r.kind === 'cells') for (let k = 0; k < r.items.length; k++) map[r.firstIndex + k] = i;
    });
    return map;
  }, [rows]);
  const { first, last } = visibleByOffsets(offsets, scrollTop, height);
  const onScreen = rows.slice(first, last + 1).flatMap((r) => (r.kind === 'cells' ? r.items : []));
  useWatchDevices(hidden ? [] : onScreen.map((d) => d.deviceId));

  useEffect(() => {
    if (!focusPending.current) return;
    focusPending.current = false;
    scroller.current?.querySelector<HTMLElement>(`[data-index="${focus}"]`)?.focus();
  });

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLButtonElement) return;
    const device = reachable[focus];
    if (e.key === 'Enter' && device) {
      e.preventDefault();
      navigate('devices', device.deviceId);
      return;
    }
    if (e.key === ' ' && device) {
      e.preventDefault();
      onToggle(device.deviceId);
      return;
    }
    const next = moveFocus(focus, e.key, columns, reachable.length);
    if (next === null) return;
    e.preventDefault();
    setFocus(next);
    focusPending.current = true;
    // Bring the row into view first, so the cell exists to take focus.
    const row = rowOfIndex[next] ?? 0;
    const el = scroller.current;
    if (el) {
      const top = offsets[row] ?? 0;
      const bottom = offsets[row + 1] ?? top;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (bottom > el.scrollTop + height) el.scrollTop = bottom - height;
      setScrollTop(el.scrollTop);
    }
  };

  const rendered = [];
  for (let r = first; r <= last; r++) {
    const row = rows[r]!;
    const style = { top: offsets[r], height: (offsets[r + 1] ?? 0) - (offsets[r] ?? 0) };
    if (row.kind === 'header') {
      const key = row.group ?? '';
      rendered.push(
        <div key={`h:${key}`} role="row" className="fleet-group" style={style}>
          <div role="columnheader">
            <button
              type="button"
              aria-expanded={!row.collapsed}
              onClick={() =>
                setCollapsed((c) => {
                  const next = new Set(c);
                  if (next.has(key)) next.delete(key);
                  else next.add(key);
                  return next;
                })
              }
            >
              {row.collapsed ? '▸' : '▾'} {row.group ?? 'No room'} <span className="muted">({row.count})</span>
            </button>
          </div>
        </div>,
      );
      continue;
    }
    const cells = row.items.map((d, i) => {
      const index = row.firstIndex + i;
      return (
        <div
          key={d.deviceId}
          role="gridcell"
          data-index={index}
          tabIndex={index === focus ? 0 : -1}
          aria-selected={selected.has(d.deviceId)}
          className="fleet-cell"
          onFocus={() => setFocus(index)}
        >
          {layout === 'grid' ? (
            <DeviceCard device={d} selected={selected.has(d.deviceId)} onSelect={() => onToggle(d.deviceId)} />
          ) : (
            <DeviceRow device={d} selected={selected.has(d.deviceId)} onSelect={() => onToggle(d.deviceId)} />
          )}
        </div>
      );
    });
    rendered.push(
      <div key={`r:${row.firstIndex}`} role="row" className={`fleet-row fleet-row-${layout}`} style={{ ...style, gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}>
        {cells}
      </div>,
    );
  }

  return (
    <div
      ref={scroller}
      hidden={hidden}
      className="fleet-scroller"
      role="grid"
      aria-label="Printers"
      aria-rowcount={rows.length}
      aria-multiselectable="true"
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      onKeyDown={onKeyDown}
    >
      <div className="fleet-canvas" style={{ height: offsets[offsets.length - 1] }}>
        {rendered}
      </div>
    </div>
  );
}

/** One printer as a table row: the dense view. */
const DeviceRow = memo(DeviceRowView, sameProps);

function DeviceRowView({ device, selected, onSelect }: { device: DeviceStatus; selected: boolean; onSelect(): void }) {
  const navigate = useAppStore((s) => s.navigate);
  const offline = isUnreachable(device.link);
  return (
    <div
      className={`device-row state-${offline ? 'offline' : device.state}`}
      onClick={(e) => {
        if ((e.target as HTMLElement).closest('input, button, a')) return;
        navigate('devices', device.deviceId);
      }}
    >
      <input type="checkbox" aria-label={`Select ${device.name}`} checked={selected} onChange={onSelect} />
      <span className="row-name" title={device.name}>
        {device.name}
      </span>
      <span className={`pill pill-${offline ? 'offline' : device.state}`}>{offline ? 'Offline' : device.stateText}</span>
      <span className="row-file" title={device.job?.name ?? ''}>
        {device.job?.name ?? ''}
      </span>
      <span>{device.job?.progress == null ? '' : `${Math.round(device.job.progress * 100)}%`}</span>
      <span className="muted">{device.job ? formatDuration(device.job.remainingSec) : ''}</span>
    </div>
  );
}

/** For tests and the header: the devices in a store, unsorted. */
export function useFleetDevices(): DeviceStatus[] {
  const byId = useDevicesStore((s) => s.byId);
  return useMemo(() => Object.values(byId), [byId]);
}
