import type { PrintRequest, TransferProgress } from '../../../devices/driver';
import { AppError } from '../../../../shared/rpc/result';
import type { XyzContainer, XyzModel } from '../models';
import { normaliseStateCode, XYZ_ERROR_UNSUPPORTED_FILE_VERSION, type XyzStatus } from '../protocol';
import { XyzCancelledError, type XyzBackend } from './backend';
import { busyWait, sleep, withBusyRetry } from './errors';
import type { XyzDriverTimings } from './options';
import { prepareUpload, type UploadSource } from './upload-source';

/** What the print procedure needs from the driver. */
export interface PrintHost {
  readonly name: string;
  readonly timings: XyzDriverTimings;
  backend(): XyzBackend;
  model(): XyzModel | undefined;
  /** Polls now and returns the fresh status. */
  refresh(): Promise<XyzStatus>;
  setJobName(name: string | null): void;
}

const IDLE = 9511;
const BUSY = 9700;

function stateCode(status: XyzStatus): number | null {
  return status.state ? normaliseStateCode(status.state.code) : null;
}

/** Errors that count on this printer: legacy (1.1 Plus / v2) printers report a machine state in `e`. */
function realErrors(status: XyzStatus) {
  return status.state?.legacy ? [] : (status.errors ?? []);
}

function isBusy(status: XyzStatus): boolean {
  return stateCode(status) === BUSY || realErrors(status).some((e) => e.busy);
}

/**
 * Before uploading: the printer must be idle, without errors, with a
 * cartridge. A finished job waiting for the bed to be cleared is completed first; busy is waited out.
 */
async function preflight(host: PrintHost, signal: AbortSignal): Promise<XyzStatus> {
  const { busyBackoffMs, busyMaxTries } = host.timings;
  for (let attempt = 1; ; attempt++) {
    const status = await host.refresh();
    const code = stateCode(status);
    if ((code === 9509 || code === 9510) && attempt <= 2) {
      // Asking for a new print means the bed was cleared.
      await host.backend().jobControl('complete').catch(() => undefined);
      continue;
    }
    if (isBusy(status)) {
      if (attempt >= busyMaxTries) throw new AppError('DEVICE_ERROR', `${host.name} stayed busy; try again later.`);
      await sleep(busyWait(busyBackoffMs, attempt), signal);
      continue;
    }
    const errors = realErrors(status);
    const first = errors[0];
    if (first) throw new AppError('DEVICE_ERROR', `${host.name} reports an error: ${first.message}.`, `xyz-0x${first.raw.toString(16)}`);
    if (code !== IDLE) {
      const text = status.state?.info.text.toLowerCase() ?? 'not ready';
      throw new AppError('CONFLICT', `${host.name} is not idle (${text}); wait until it is.`);
    }
    // Many models refuse to print without an XYZ cartridge: say so instead of trying.
    if (status.filamentRemainingMm?.[0] === null || (status.cartridges && status.cartridges.serials[0] === null)) {
      throw new AppError('DEVICE_ERROR', `${host.name} has no filament cartridge installed.`, 'xyz-no-cartridge');
    }
    return status;
  }
}

type StartOutcome = 'started' | 'wrong-variant';

/** After the upload the printer checks the file and starts by itself. */
async function waitForStart(host: PrintHost, signal: AbortSignal): Promise<StartOutcome> {
  const deadline = Date.now() + host.timings.startTimeoutMs;
  while (Date.now() < deadline) {
    await sleep(Math.min(500, host.timings.pollActiveMs), signal);
    const status = await host.refresh();
    const errors = realErrors(status);
    if (errors.some((e) => e.code === XYZ_ERROR_UNSUPPORTED_FILE_VERSION)) return 'wrong-variant';
    const first = errors[0];
    if (first && !first.busy) throw new AppError('DEVICE_ERROR', `${host.name} did not start the print: ${first.message}.`, `xyz-0x${first.raw.toString(16)}`);
    const state = status.state?.info.state;
    if (state === 'heating' || state === 'printing' || state === 'paused' || state === 'finishing' || state === 'done') return 'started';
    if (state === 'error') throw new AppError('DEVICE_ERROR', `${host.name} did not start the print: ${status.state?.info.text ?? 'error'}.`);
  }
  throw new AppError('TIMEOUT', `${host.name} received the file but did not start printing within ${Math.round(host.timings.startTimeoutMs / 1000)} s.`);
}

function otherContainer(model: XyzModel, used: XyzContainer | null): XyzContainer | null {
  const current = used ?? model.container;
  if (current === model.container) return model.alternateContainer;
  return model.container;
}

/** Converts if needed, uploads, and waits until the printer has taken the job. */
export async function runPrint(
  host: PrintHost,
  request: PrintRequest,
  onProgress: (p: TransferProgress) => void,
  signal: AbortSignal,
): Promise<void> {
  const model = host.model();
  if (!model) {
    throw new AppError('UNSUPPORTED', `Printdeck does not know the model of ${host.name}; set the connection's "model" option (e.g. dv1MW0A000).`);
  }
  await preflight(host, signal);
  onProgress({ phase: 'converting', sentBytes: 0, totalBytes: 0 });
  let source: UploadSource = await prepareUpload(request.path, request.name, model);
  let retried = false;
  try {
    for (;;) {
      const total = source.size;
      onProgress({ phase: 'uploading', sentBytes: 0, totalBytes: total });
      const current = source;
      await withBusyRetry(
        () => host.backend().upload(current, (sent) => onProgress({ phase: 'uploading', sentBytes: sent, totalBytes: total }), signal),
        host.timings.busyBackoffMs,
        host.timings.busyMaxTries,
        signal,
      );
      host.setJobName(request.name);
      onProgress({ phase: 'starting', sentBytes: total, totalBytes: total });
      let outcome: StartOutcome;
      // Once the file is on a printer that cannot cancel a job (the v2 protocol has no cancel),
      // a cancel here would only be a lie: the printer prints anyway. Follow it to the start instead.
      const startSignal = host.backend().protocol === 'v2' ? new AbortController().signal : signal;
      try {
        outcome = await waitForStart(host, startSignal);
      } catch (err) {
        if (err instanceof XyzCancelledError) await host.backend().jobControl('cancel').catch(() => undefined);
        throw err;
      }
      if (outcome === 'started') return;
      // 0x020D "Unsupported file version": regenerate with the other container once.
      const alternate = otherContainer(model, source.container);
      if (retried || !alternate) {
        throw new AppError('DEVICE_ERROR', `${host.name} rejected the file: unsupported .3w version (0x020D).`, 'xyz-0x020d');
      }
      retried = true;
      await source.close();
      onProgress({ phase: 'converting', sentBytes: 0, totalBytes: 0 });
      source = await prepareUpload(request.path, request.name, model, alternate);
    }
  } catch (err) {
    host.setJobName(null);
    throw err;
  } finally {
    await source.close().catch(() => undefined);
  }
}
