import type { DeviceStatus, Temperature } from '../../../../shared/domain/device';
import { isJobActive } from '../../../../shared/domain/device-state';
import { findModel, findModelBySerial } from '../models';
import { describeSubstate } from './states';
import type { XyzStatus } from './status-types';

export type XyzDeviceFields = Pick<
  DeviceStatus,
  'model' | 'serial' | 'firmware' | 'state' | 'stateText' | 'job' | 'temperatures' | 'filament' | 'problem'
>;

const MAX_TEXT = 200;
const clip = (text: string, max = MAX_TEXT): string => (text.length > max ? text.slice(0, max) : text);

function modelOf(s: XyzStatus): string | null {
  const known =
    (s.modelNumber ? findModel(s.modelNumber) : undefined) ?? (s.serial ? findModelBySerial(s.serial) : undefined);
  if (known) return clip(known.name);
  return s.modelNumber ? clip(s.modelNumber) : null;
}

function hasHeatedBed(s: XyzStatus): boolean | null {
  const known =
    (s.modelNumber ? findModel(s.modelNumber) : undefined) ?? (s.serial ? findModelBySerial(s.serial) : undefined);
  return known ? known.capabilities.heatedBed : null;
}

function temperaturesOf(s: XyzStatus): Temperature[] {
  const temps: Temperature[] = [];
  (s.extruders ?? []).slice(0, 8).forEach((e, i) => {
    const target = i === 0 && s.targetTemps?.nozzleC != null ? s.targetTemps.nozzleC : e.targetC;
    if (e.actualC !== null || target !== null) temps.push({ sensor: `tool${i}`, actual: e.actualC, target });
  });
  // Printers without a heated bed still send `b:0` (nano); showing 0 °C there would mislead.
  if (s.bedTempC != null && hasHeatedBed(s) !== false) {
    temps.push({ sensor: 'bed', actual: s.bedTempC, target: s.targetTemps?.bedC ?? null });
  }
  return temps;
}

function stateTextOf(s: XyzStatus): string {
  if (!s.state) return 'Unknown';
  const sub = s.state.substate === null ? null : describeSubstate(s.state.code, s.state.substate);
  return clip(sub ? `${s.state.info.text}: ${sub}` : s.state.info.text);
}

function jobOf(s: XyzStatus, active: boolean): XyzDeviceFields['job'] {
  if (!s.job && !active) return null;
  const name = s.printFile?.name ?? null;
  return {
    name: name === null ? null : clip(name, 512),
    progress: s.job ? s.job.percent / 100 : null,
    elapsedSec: s.job ? Math.max(0, s.job.elapsedMin) * 60 : null,
    remainingSec: s.job?.remainingMin != null ? Math.max(0, s.job.remainingMin) * 60 : null,
    taskId: null,
  };
}

function problemOf(s: XyzStatus): XyzDeviceFields['problem'] {
  // On legacy (1.1 Plus / v2) printers `e` is non-zero at idle and may be a machine state, not an
  // error, so only new-style printers get a problem from it.
  if (s.state?.legacy) return null;
  const first = s.errors?.[0];
  if (!first)
    return s.state?.info.state === 'error' ? { code: `xyz-state-${s.state.code}`, message: s.state.info.text } : null;
  const more = (s.errors?.length ?? 0) > 1 ? ` (+${(s.errors?.length ?? 1) - 1} more)` : '';
  return {
    code: `xyz-0x${first.raw.toString(16).padStart(8, '0')}`,
    message: clip(`${first.message}${more}`, 1000),
  };
}

function filamentOf(s: XyzStatus): XyzDeviceFields['filament'] {
  const remaining = s.filamentRemainingMm?.[0];
  const serial = s.cartridges?.serials[0];
  if (remaining == null && (serial === undefined || serial === null)) return null;
  return { remainingMm: remaining ?? null, totalMm: null, material: null };
}

/** Maps a decoded `query=a` onto the fields every printer family reports. */
export function toDeviceFields(s: XyzStatus): XyzDeviceFields {
  const state = s.state?.info.state ?? 'unknown';
  const active = isJobActive(state);
  return {
    model: modelOf(s),
    serial: s.serial ? clip(s.serial, 128) : null,
    firmware: s.firmware
      ? clip(
          s.firmware.os && s.firmware.engine
            ? `${s.firmware.os}/${s.firmware.app ?? ''}/${s.firmware.engine}`
            : s.firmware.version,
          128,
        )
      : null,
    state,
    stateText: stateTextOf(s),
    job: jobOf(s, active),
    temperatures: temperaturesOf(s).slice(0, 16),
    filament: filamentOf(s),
    problem: problemOf(s),
  };
}
