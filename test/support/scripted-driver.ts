import { readFile } from 'node:fs/promises';
import type { DeviceStatus } from '../../src/shared/contract';
import { NO_CAPABILITIES } from '../../src/shared/domain/device';
import type { PrinterDriver, PrintRequest, TransferProgress } from '../../src/main/devices/driver';
import { singleDevice, type ProviderFactory } from '../../src/main/devices/fleet';

/**
 * A driver whose behaviour a unit test scripts, for testing what is generic above drivers
 * (transfers, notices, history). Real drivers are tested against simulators over real sockets.
 */
export class ScriptedDriver implements PrinterDriver {
  readonly deviceId: string;
  private current: DeviceStatus;
  private readonly listeners = new Set<(s: DeviceStatus) => void>();
  printed: { request: PrintRequest; bytes: number }[] = [];
  failPrintWith: Error | null = null;
  /** Resolves the upload only when the test says so. */
  holdUpload: Promise<void> | null = null;

  constructor(id: string, name = id) {
    this.deviceId = id;
    this.current = {
      deviceId: id,
      connectionId: id,
      family: 'xyz',
      name,
      model: 'da Vinci nano',
      serial: null,
      firmware: null,
      link: 'online',
      state: 'idle',
      stateText: 'Idle',
      job: null,
      temperatures: [{ sensor: 'nozzle', actual: 25, target: null }],
      filament: null,
      problem: null,
      capabilities: { ...NO_CAPABILITIES, print: true, pause: true, cancel: true },
      updatedAt: Date.now(),
    };
  }

  setStatus(patch: Partial<DeviceStatus>): void {
    this.current = { ...this.current, ...patch, updatedAt: Math.max(Date.now(), this.current.updatedAt + 1) };
    for (const l of this.listeners) l(this.current);
  }

  start(): void {}
  async stop(): Promise<void> {}
  status(): DeviceStatus {
    return this.current;
  }
  onStatus(listener: (s: DeviceStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async print(request: PrintRequest, onProgress: (p: TransferProgress) => void, signal: AbortSignal): Promise<void> {
    const bytes = (await readFile(request.path)).length;
    onProgress({ phase: 'uploading', sentBytes: Math.floor(bytes / 2), totalBytes: bytes });
    if (this.holdUpload) {
      await Promise.race([
        this.holdUpload,
        new Promise((_, reject) => {
          if (signal.aborted) reject(new Error('aborted'));
          signal.addEventListener('abort', () => reject(new Error('aborted')));
        }),
      ]);
    }
    if (this.failPrintWith) throw this.failPrintWith;
    onProgress({ phase: 'uploading', sentBytes: bytes, totalBytes: bytes });
    this.printed.push({ request, bytes });
    this.setStatus({ state: 'printing', stateText: 'Printing', job: { name: request.name, progress: 0, elapsedSec: 0, remainingSec: null, taskId: null } });
  }
  async pause(): Promise<void> {
    this.setStatus({ state: 'paused', stateText: 'Paused' });
  }
  async resume(): Promise<void> {
    this.setStatus({ state: 'printing', stateText: 'Printing' });
  }
  async cancel(): Promise<void> {
    this.setStatus({ state: 'idle', stateText: 'Idle', job: null });
  }
  async maintenance(): Promise<void> {}
  async captureSnapshot(): Promise<never> {
    throw new Error('no camera');
  }
}

/** A provider factory for the `xyz` kind that hands out the given scripted drivers by connection name. */
export function scriptedProvider(drivers: Map<string, ScriptedDriver>): ProviderFactory {
  return singleDevice((ctx) => {
    const d = drivers.get(ctx.connection.name) ?? new ScriptedDriver(`xyz:${ctx.connection.id}`, ctx.connection.name);
    drivers.set(ctx.connection.name, d);
    return d;
  });
}
