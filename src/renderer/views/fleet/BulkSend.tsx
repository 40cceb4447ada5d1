import { useEffect, useRef, useState, type DragEvent } from 'react';
import type { DeviceStatus, FileSource, SendPlanEntry, SendResult } from '../../../shared/contract';
import type { RpcErrorShape } from '../../../shared/rpc/result';
import { api } from '../../api';
import { ProgressBar } from '../../components/ProgressBar';
import { fileSourceOf, isPrintable } from '../../files/send-to-printer';
import { leftOut, sendRequestOf, sendRow, sendSummary } from '../../fleet/bulk-send';
import { useDevicesStore } from '../../stores/devices-store';
import { formatBytes } from '../format';

type Step =
  | { kind: 'closed' }
  | { kind: 'pick'; error: string | null }
  | { kind: 'staging'; fileName: string; sentBytes: number; totalBytes: number }
  | { kind: 'checking'; fileName: string }
  | { kind: 'confirm'; source: FileSource; fileName: string; plan: SendPlanEntry[]; queueOnBusy: ReadonlySet<string>; sending: boolean }
  | { kind: 'results'; fileName: string; results: SendResult[]; plan: SendPlanEntry[]; queueOnBusy: ReadonlySet<string> };

/**
 * "Send a file" for the selected printers: the file is picked or dropped once and reaches the host
 * once (staged in a browser), every printer is checked the way the queue checks it, one
 * confirmation says who prints, who is busy (queue it there instead?) and who is skipped and why,
 * then each printer's progress and result.
 */
export function BulkSend({ devices }: { devices: DeviceStatus[] }) {
  const [step, setStep] = useState<Step>({ kind: 'closed' });
  const input = useRef<HTMLInputElement>(null);
  const transfers = useDevicesStore((s) => s.transfers);
  const [dragging, setDragging] = useState(false);
  // A staged file waiting for the confirmation is given back if the bar goes (selection cleared, screen left).
  const waiting = useRef<FileSource | null>(null);
  waiting.current = step.kind === 'confirm' && !step.sending ? step.source : null;
  useEffect(
    () => () => {
      if (waiting.current) void discard(waiting.current);
    },
    [],
  );

  const fail = (error: RpcErrorShape | string) => setStep({ kind: 'pick', error: typeof error === 'string' ? error : error.message });

  const take = async (file: File | undefined) => {
    if (!file) return;
    if (!isPrintable(file)) return fail(`Printdeck prints .gcode and .3w files; "${file.name}" is neither.`);
    const deviceIds = devices.map((d) => d.deviceId);
    setStep({ kind: 'staging', fileName: file.name, sentBytes: 0, totalBytes: file.size });
    const source = await fileSourceOf(file, (sentBytes) => setStep({ kind: 'staging', fileName: file.name, sentBytes, totalBytes: file.size }));
    if (!source.ok) return fail(source.error);
    setStep({ kind: 'checking', fileName: file.name });
    const checked = await api().call('queue.checkPrinters', { file: source.file, name: file.name, deviceIds });
    if (!checked.ok) {
      await discard(source.file);
      return fail(checked.error);
    }
    const busy = checked.value.printers.filter((p) => p.plan === 'busy').map((p) => p.deviceId);
    setStep({ kind: 'confirm', source: source.file, fileName: checked.value.fileName, plan: checked.value.printers, queueOnBusy: new Set(busy), sending: false });
  };

  const close = async () => {
    if (step.kind === 'confirm') await discard(step.source);
    setStep({ kind: 'closed' });
  };

  const send = async () => {
    if (step.kind !== 'confirm') return;
    setStep({ ...step, sending: true });
    const r = await api().call('queue.sendToPrinters', { file: step.source, name: step.fileName, ...sendRequestOf(step.plan, step.queueOnBusy) });
    if (!r.ok) return fail(r.error);
    setStep({ kind: 'results', fileName: step.fileName, results: r.value.results, plan: step.plan, queueOnBusy: step.queueOnBusy });
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    void take(e.dataTransfer.files[0]);
  };

  if (step.kind === 'closed') {
    return (
      <button type="button" disabled={devices.length === 0} onClick={() => setStep({ kind: 'pick', error: null })}>
        Send a file… ({devices.length})
      </button>
    );
  }

  return (
    <div role="dialog" aria-modal="false" aria-labelledby="bulk-send-title" className="bulk-confirm">
      {step.kind === 'pick' && (
        <div
          className={`drop-target${dragging ? ' dragging' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <h2 id="bulk-send-title">Send a file to {devices.length} {devices.length === 1 ? 'printer' : 'printers'}</h2>
          <p className="muted small">Drop a .gcode or .3w file here, or pick one. Each printer is checked before anything is sent.</p>
          <input
            ref={input}
            type="file"
            accept=".gcode,.gco,.g,.3w"
            aria-label="File to send to the selected printers"
            className="visually-hidden"
            onChange={(e) => {
              void take(e.target.files?.[0]);
              e.target.value = '';
            }}
          />
          {step.error && (
            <p className="form-error" role="alert">
              {step.error}
            </p>
          )}
          <div className="row-actions">
            <button type="button" className="primary" onClick={() => input.current?.click()}>
              Pick a file…
            </button>
            <button type="button" onClick={() => void close()}>
              Back
            </button>
          </div>
        </div>
      )}
      {step.kind === 'staging' && (
        <>
          <h2 id="bulk-send-title">Sending {step.fileName} to Printdeck</h2>
          <ProgressBar value={step.totalBytes ? step.sentBytes / step.totalBytes : null} label={`${step.fileName} upload to Printdeck`} />
          <p className="muted small">
            {formatBytes(step.sentBytes)} / {formatBytes(step.totalBytes)}
          </p>
        </>
      )}
      {step.kind === 'checking' && (
        <h2 id="bulk-send-title" aria-live="polite">
          Checking {step.fileName} against each printer…
        </h2>
      )}
      {step.kind === 'confirm' && <Confirm step={step} onChange={(queueOnBusy) => setStep({ ...step, queueOnBusy })} onSend={() => void send()} onBack={() => void close()} />}
      {step.kind === 'results' && (
        <Results step={step} transfers={transfers} onClose={() => setStep({ kind: 'closed' })} />
      )}
    </div>
  );
}

function Confirm({
  step,
  onChange,
  onSend,
  onBack,
}: {
  step: Extract<Step, { kind: 'confirm' }>;
  onChange(queueOnBusy: ReadonlySet<string>): void;
  onSend(): void;
  onBack(): void;
}) {
  const { print, queue } = sendRequestOf(step.plan, step.queueOnBusy);
  const busy = step.plan.filter((e) => e.plan === 'busy');
  const skipped = step.plan.filter((e) => e.plan === 'skip');
  const printing = step.plan.filter((e) => e.plan === 'print');
  const toggle = (id: string) => {
    const next = new Set(step.queueOnBusy);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onChange(next);
  };
  return (
    <>
      <h2 id="bulk-send-title">
        Print {step.fileName} on {print.length} {print.length === 1 ? 'printer' : 'printers'}
        {queue.length > 0 ? ` and queue it on ${queue.length}` : ''}?
      </h2>
      {printing.length > 0 && (
        <section aria-label="Will print">
          <h3 className="small">Will print now</h3>
          <ul className="bulk-list">
            {printing.map((e) => (
              <li key={e.deviceId}>{e.name}</li>
            ))}
          </ul>
        </section>
      )}
      {busy.length > 0 && (
        <section aria-label="Busy">
          <h3 className="small">Busy</h3>
          <ul className="bulk-list">
            {busy.map((e) => (
              <li key={e.deviceId}>
                <label>
                  <input type="checkbox" checked={step.queueOnBusy.has(e.deviceId)} onChange={() => toggle(e.deviceId)} /> Queue on {e.name} instead
                </label>{' '}
                <span className="muted small">{e.reason}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {skipped.length > 0 && (
        <section aria-label="Skipped">
          <h3 className="small">Skipped</h3>
          <ul className="bulk-list">
            {skipped.map((e) => (
              <li key={e.deviceId}>
                {e.name}: <span className="muted small">{e.reason}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <div className="row-actions">
        <button type="button" className="primary" disabled={step.sending || print.length + queue.length === 0} onClick={onSend}>
          {step.sending ? 'Sending…' : queue.length > 0 ? `Print on ${print.length}, queue on ${queue.length}` : `Print on ${print.length}`}
        </button>
        <button type="button" disabled={step.sending} onClick={onBack}>
          Back
        </button>
      </div>
    </>
  );
}

function Results({
  step,
  transfers,
  onClose,
}: {
  step: Extract<Step, { kind: 'results' }>;
  transfers: ReturnType<typeof useDevicesStore.getState>['transfers'];
  onClose(): void;
}) {
  const rows = [...step.results.map((r) => sendRow(r, transfers[r.deviceId])), ...leftOut(step.plan, step.queueOnBusy)];
  const summary = sendSummary(rows);
  return (
    <>
      <h2 id="bulk-send-title">{step.fileName}</h2>
      <ul className="bulk-list bulk-results" aria-label="Result per printer">
        {rows.map((row) => (
          <li key={row.deviceId} className={`send-${row.state}`}>
            <strong>{row.name}</strong> <span>{row.text}</span>
            {row.state === 'working' && <ProgressBar value={row.progress} label={`${row.name} upload progress`} />}
          </li>
        ))}
      </ul>
      <p className="small" role="status">
        {summary ?? 'Sending…'}
      </p>
      <div className="row-actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </>
  );
}

async function discard(source: FileSource): Promise<void> {
  if (source.kind === 'staged') await api().call('files.stageCancel', { stagedId: source.stagedId });
}
