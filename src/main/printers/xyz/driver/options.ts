import type { ConnectionOptions } from '../../../../shared/contract';
import { findModel, findModelBySerial, type XyzModel } from '../models';
import {
  XYZ_BUSY_BACKOFF_MS,
  XYZ_BUSY_MAX_TRIES,
  XYZ_POLL_IDLE_MIN_MS,
  XYZ_POLL_PRINTING_MIN_MS,
  XYZ_UPLOAD_BLOCK_SD_TIMEOUT_MS,
} from '../protocol';
import { V2_TIMEOUTS, type V2Timeouts } from './v2-line';
import { V3_TIMEOUTS, type V3Timeouts } from './v3-backend';

export interface XyzDriverTimings {
  /** Status poll while idle / while a job runs. */
  pollIdleMs: number;
  pollActiveMs: number;
  /** Waits between reconnect attempts; the last one repeats. */
  reconnectMs: readonly number[];
  /** Busy back-off. */
  busyBackoffMs: readonly number[];
  busyMaxTries: number;
  /** How long the printer may take to check an uploaded file and start. */
  startTimeoutMs: number;
  v3: V3Timeouts;
  v2: V2Timeouts;
}

export const DEFAULT_TIMINGS: XyzDriverTimings = {
  pollIdleMs: XYZ_POLL_IDLE_MIN_MS,
  pollActiveMs: XYZ_POLL_PRINTING_MIN_MS,
  reconnectMs: [1_000, 2_000, 4_000, 8_000, 15_000],
  busyBackoffMs: XYZ_BUSY_BACKOFF_MS,
  busyMaxTries: XYZ_BUSY_MAX_TRIES,
  // The nano blinks for about a minute while it validates a file, so allow several.
  startTimeoutMs: Math.max(4 * XYZ_UPLOAD_BLOCK_SD_TIMEOUT_MS, 120_000),
  v3: V3_TIMEOUTS,
  v2: V2_TIMEOUTS,
};

export interface XyzConnectionSettings {
  model: XyzModel | undefined;
  protocol: 'auto' | 'v3' | 'v2' | 'json';
  timings: XyzDriverTimings;
}

function numberOption(options: ConnectionOptions, key: string, min: number, max: number): number | undefined {
  const v = options[key];
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : undefined;
}

/**
 * Connection options a da Vinci connection understands: `model` (model number such as
 * `dv1MW0A000`, or a serial number), `protocol` (`auto`, `v3`, `v2`, `json`), `pollIdleMs`, `pollActiveMs`.
 */
export function readSettings(options: ConnectionOptions, base: XyzDriverTimings = DEFAULT_TIMINGS): XyzConnectionSettings {
  const modelText = typeof options.model === 'string' ? options.model : '';
  const model = modelText ? (findModel(modelText) ?? findModelBySerial(modelText)) : undefined;
  const protocol = options.protocol === 'v3' || options.protocol === 'v2' || options.protocol === 'json' ? options.protocol : 'auto';
  return {
    model,
    protocol,
    timings: {
      ...base,
      pollIdleMs: numberOption(options, 'pollIdleMs', 200, 60_000) ?? base.pollIdleMs,
      pollActiveMs: numberOption(options, 'pollActiveMs', 200, 60_000) ?? base.pollActiveMs,
    },
  };
}
