import { useEffect, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import type { QueueJob, QueueTarget } from '../../shared/contract';
import { api } from '../api';
import { fileSourceOf, isPrintable } from '../files/send-to-printer';
import { useAppStore } from '../stores/app-store';
import { useDevicesStore } from '../stores/devices-store';
import { followQueue, useQueueStore } from '../stores/queue-store';
import { formatBytes } from './format';

const STATE_TEXT: Record<QueueJob['state'], string> = {
  queued: 'Waiting',
  starting: 'Starting',
  printing: 'Printing',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

function targetText(target: QueueTarget, names: Map<string, string>): string {
  if (target.kind === 'any') return 'Any printer';
  if (target.kind === 'tag') return `Tag “${target.tag}”`;
  return names.get(target.deviceId) ?? target.deviceId;
}

/** The print queue: add files, order them (drag, or Alt+↑/↓), hold, release, remove, and see why each waits. */
export function QueueView() {
  const jobs = useQueueStore((s) => s.jobs);
  const printers = useQueueStore((s) => s.printers);
  const devices = useDevicesStore((s) => s.byId);
  const errorToast = useAppStore((s) => s.errorToast);
  const input = useRef<HTMLInputElement>(null);
  const [target, setTarget] = useState('any');
  const [copies, setCopies] = useState(1);
  const [adding, setAdding] = useState<string | null>(null);
  const [dragId, setDragId] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');

  useEffect(() => followQueue(), []);

  const names = new Map(Object.values(devices).map((d) => [d.deviceId, d.name]));
  const tags = [...new Set(printers.flatMap((p) => p.tags))].sort();
  const waiting = jobs.filter((j) => j.state === 'queued');

  const call = async (method: 'queue.hold' | 'queue.release' | 'queue.remove', job: QueueJob, label: string) => {
    const r = await api().call(method, { id: job.id });
    if (!r.ok) errorToast(`${label} ${job.fileName} failed`, r.error);
  };
  const move = async (job: QueueJob, beforeId: string | null) => {
    const r = await api().call('queue.move', { id: job.id, beforeId });
    if (!r.ok) errorToast(`Moving ${job.fileName} failed`, r.error);
  };
  const moveBy = async (job: QueueJob, delta: -1 | 1) => {
    const index = waiting.findIndex((j) => j.id === job.id);
    const to = index + delta;
    if (index < 0 || to < 0 || to >= waiting.length) return;
    // Before the job now at `to` when going up; before the one after it when going down.
    const before = delta < 0 ? waiting[to]! : (waiting[to + 1] ?? null);
    await move(job, before ? before.id : null);
    setAnnounce(`${job.fileName} moved to position ${to + 1} of ${waiting.length}.`);
  };
  const onRowKey = (e: KeyboardEvent, job: QueueJob) => {
    if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    e.preventDefault();
    void moveBy(job, e.key === 'ArrowUp' ? -1 : 1);
  };

  const add = async (files: FileList | null) => {
    const targetValue: QueueTarget =
      target === 'any'
        ? { kind: 'any' }
        : target.startsWith('tag:')
          ? { kind: 'tag', tag: target.slice(4) }
          : { kind: 'printer', deviceId: target.slice(8) };
    for (const file of Array.from(files ?? [])) {
      if (!isPrintable(file)) {
        errorToast(`Cannot queue ${file.name}`, {
          code: 'BAD_REQUEST',
          message: 'The queue takes .gcode and .3w files.',
        });
        continue;
      }
      setAdding(file.name);
      const source = await fileSourceOf(file);
      const r = source.ok
        ? await api().call('queue.add', { file: source.file, name: file.name, target: targetValue, copies })
        : source;
      if (!r.ok) errorToast(`Could not queue ${file.name}`, r.error);
    }
    setAdding(null);
  };

  const onDrop = (e: DragEvent, before: QueueJob | null) => {
    e.preventDefault();
    e.stopPropagation();
    const dragged = jobs.find((j) => j.id === dragId);
    setDragId(null);
    if (dragged) {
      if (dragged.id !== before?.id) void move(dragged, before ? before.id : null);
    } else if (e.dataTransfer.files.length > 0) void add(e.dataTransfer.files);
  };

  return (
    <section
      className="queue"
      aria-labelledby="queue-title"
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => onDrop(e, null)}
    >
      <div className="section-head">
        <h1 id="queue-title">Print queue</h1>
        <button
          type="button"
          onClick={() => void api().call('queue.clearFinished', {})}
          disabled={!jobs.some((j) => ['done', 'failed', 'cancelled'].includes(j.state))}
        >
          Clear finished
        </button>
      </div>
      <div className="panel queue-add">
        <label>
          Print on{' '}
          <select value={target} onChange={(e) => setTarget(e.target.value)}>
            <option value="any">Any printer that can print it</option>
            {tags.map((t) => (
              <option key={t} value={`tag:${t}`}>
                Printers tagged “{t}”
              </option>
            ))}
            {Object.values(devices)
              .filter((d) => d.capabilities.print)
              .map((d) => (
                <option key={d.deviceId} value={`printer:${d.deviceId}`}>
                  {d.name}
                </option>
              ))}
          </select>
        </label>
        <label>
          Copies{' '}
          <input
            type="number"
            min={1}
            max={100}
            value={copies}
            onChange={(e) => setCopies(Math.max(1, Math.min(100, Number(e.target.value) || 1)))}
          />
        </label>
        <input
          ref={input}
          type="file"
          multiple
          accept=".gcode,.gco,.g,.3w"
          aria-label="Files to queue"
          className="visually-hidden"
          onChange={(e) => void add(e.target.files).then(() => (e.target.value = ''))}
        />
        <button type="button" className="primary" disabled={adding !== null} onClick={() => input.current?.click()}>
          {adding ? `Adding ${adding}…` : 'Add files…'}
        </button>
        <span className="muted small">or drop .gcode / .3w files here</span>
      </div>
      <p className="visually-hidden" aria-live="polite">
        {announce}
      </p>
      {jobs.length === 0 ? (
        <p className="muted">The queue is empty.</p>
      ) : (
        <table className="table queue-table">
          <caption className="visually-hidden">
            Jobs in queue order. Drag a waiting job, or press Alt+Up / Alt+Down on its row, to reorder.
          </caption>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Target</th>
              <th scope="col">State</th>
              <th scope="col">Why it waits</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((job) => {
              const movable = job.state === 'queued';
              const index = waiting.findIndex((j) => j.id === job.id);
              return (
                <tr
                  key={job.id}
                  tabIndex={movable ? 0 : undefined}
                  draggable={movable}
                  aria-label={`${job.fileName}, ${STATE_TEXT[job.state]}`}
                  className={dragId === job.id ? 'dragging' : undefined}
                  onDragStart={(e) => {
                    setDragId(job.id);
                    e.dataTransfer.effectAllowed = 'move';
                  }}
                  onDragEnd={() => setDragId(null)}
                  onDragOver={(e) => movable && e.preventDefault()}
                  onDrop={(e) => movable && onDrop(e, job)}
                  onKeyDown={(e) => movable && onRowKey(e, job)}
                  data-testid="queue-row"
                >
                  <td>
                    {movable && (
                      <span className="drag-handle" aria-hidden="true">
                        ⠿{' '}
                      </span>
                    )}
                    {job.fileName}
                    {job.copyCount > 1 && (
                      <span className="muted small">
                        {' '}
                        (copy {job.copyIndex} of {job.copyCount})
                      </span>
                    )}
                    <div className="muted small">
                      {formatBytes(job.size)}
                      {job.priority !== 0 ? ` · priority ${job.priority}` : ''}
                    </div>
                  </td>
                  <td>{targetText(job.target, names)}</td>
                  <td>
                    <span
                      className={`pill pill-${job.state === 'printing' ? 'printing' : job.state === 'failed' ? 'error' : job.state}`}
                    >
                      {job.held ? 'Held' : STATE_TEXT[job.state]}
                    </span>
                    {job.deviceName && <div className="small">on {job.deviceName}</div>}
                  </td>
                  <td className="small">
                    {job.waitReason}
                    {job.lastError && <div className="form-error">{job.lastError}</div>}
                  </td>
                  <td>
                    <div className="row-actions">
                      {movable && (
                        <>
                          <button
                            type="button"
                            className="small-button"
                            aria-label={`Move ${job.fileName} up`}
                            disabled={index <= 0}
                            onClick={() => void moveBy(job, -1)}
                          >
                            ↑
                          </button>
                          <button
                            type="button"
                            className="small-button"
                            aria-label={`Move ${job.fileName} down`}
                            disabled={index >= waiting.length - 1}
                            onClick={() => void moveBy(job, 1)}
                          >
                            ↓
                          </button>
                          <button
                            type="button"
                            className="small-button"
                            onClick={() =>
                              void call(
                                job.held ? 'queue.release' : 'queue.hold',
                                job,
                                job.held ? 'Releasing' : 'Holding',
                              )
                            }
                          >
                            {job.held ? 'Release' : 'Hold'}
                          </button>
                        </>
                      )}
                      {job.state !== 'starting' && job.state !== 'printing' && (
                        <button
                          type="button"
                          className="small-button danger"
                          onClick={() => void call('queue.remove', job, 'Removing')}
                        >
                          Remove
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <QueuePrinters />
    </section>
  );
}

/** Each printer's bed state, auto-clear and tags, as the queue uses them. */
function QueuePrinters() {
  const printers = useQueueStore((s) => s.printers);
  const devices = useDevicesStore((s) => s.byId);
  const errorToast = useAppStore((s) => s.errorToast);
  const shown = printers.filter((p) => devices[p.deviceId]);
  if (shown.length === 0) return null;
  const set = async (deviceId: string, patch: { autoClear?: boolean; tags?: string[] }) => {
    const r = await api().call('queue.setPrinter', { deviceId, ...patch });
    if (!r.ok) errorToast('Could not change the printer', r.error);
  };
  return (
    <section className="panel" aria-labelledby="queue-printers-title">
      <h2 id="queue-printers-title">Printers</h2>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Printer</th>
            <th scope="col">Bed</th>
            <th scope="col">Clears itself</th>
            <th scope="col">Tags</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((p) => (
            <tr key={p.deviceId}>
              <td>{p.name}</td>
              <td>{p.autoClear || p.bedClear ? 'Clear' : <BedClearedButton deviceId={p.deviceId} name={p.name} />}</td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`${p.name} clears its own bed`}
                  checked={p.autoClear}
                  onChange={(e) => void set(p.deviceId, { autoClear: e.target.checked })}
                />
              </td>
              <td>
                <input
                  aria-label={`Tags of ${p.name}, separated by commas`}
                  defaultValue={p.tags.join(', ')}
                  onBlur={(e) => {
                    const next = e.target.value
                      .split(',')
                      .map((t) => t.trim())
                      .filter(Boolean);
                    if (next.join(',') !== p.tags.join(',')) void set(p.deviceId, { tags: next });
                  }}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Tells the queue the last print was taken off this printer's bed. */
export function BedClearedButton({ deviceId, name }: { deviceId: string; name: string }) {
  const errorToast = useAppStore((s) => s.errorToast);
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="primary small-button"
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        const r = await api().call('queue.bedCleared', { deviceId });
        setBusy(false);
        if (!r.ok) errorToast(`Could not mark the bed of ${name} clear`, r.error);
      }}
    >
      Bed cleared
    </button>
  );
}
