import { NO_CAPABILITIES, type DeviceCapabilities, type DeviceProblem, type DeviceStatus, type LinkState } from '../../../../shared/domain/device';
import { findModel, findModelBySerial, type XyzModel } from '../models';
import { toDeviceFields, type XyzStatus } from '../protocol';
import type { XyzWireProtocol } from './backend';

/** What a model can do over the protocol it is reached by. */
export function capabilitiesFor(model: XyzModel | undefined, protocol: XyzWireProtocol | null): DeviceCapabilities {
  if (protocol === null) return NO_CAPABILITIES;
  // v2 (`XYZ_@3D:`): offline printing only. The spec gives no usable v2 job control (see
  // V2Backend) and no maintenance actions, so those stay off.
  if (protocol === 'v2') return { ...NO_CAPABILITIES, print: true };
  const maintenance = protocol === 'v3' ? (model?.capabilities.maintenance ?? []) : [];
  return {
    ...NO_CAPABILITIES,
    print: true,
    pause: true,
    cancel: true,
    home: maintenance.includes('home'),
    jog: maintenance.includes('jog'),
    loadFilament: maintenance.includes('loadFilament'),
    unloadFilament: maintenance.includes('unloadFilament'),
    calibrate: maintenance.includes('calibrate'),
    camera: protocol === 'json' && (model?.capabilities.camera ?? false),
  };
}

export function modelOfStatus(status: XyzStatus | null, fallback: XyzModel | undefined): XyzModel | undefined {
  if (!status) return fallback;
  return (status.modelNumber ? findModel(status.modelNumber) : undefined) ?? (status.serial ? findModelBySerial(status.serial) : undefined) ?? fallback;
}

/**
 * Guided maintenance: the generic page has one button per action, so steps that need the person
 * (lower the detector, stop the filament flow) say which button to press again.
 */
function guidance(status: XyzStatus): string | null {
  const state = status.state;
  if (!state) return null;
  if (state.code === 9535 && state.substate === 41) return 'Calibrating: lower the detector onto the bed, then press Calibrate again';
  if (state.code === 9535 && state.substate === 44) return 'Calibration measured: raise the detector, then press Calibrate again';
  if (state.code === 9530 && state.substate === 12) return 'Loading filament: when it comes out of the nozzle, press Load filament again';
  return null;
}

export interface DeviceStatusInput {
  deviceId: string;
  connectionId: string;
  name: string;
  link: LinkState;
  linkProblem: DeviceProblem | null;
  xyz: XyzStatus | null;
  model: XyzModel | undefined;
  protocol: XyzWireProtocol | null;
  /** Name of the file Printdeck sent, for printers that do not report one (`Z:` is nano-only). */
  jobName: string | null;
}

export function buildDeviceStatus(input: DeviceStatusInput): DeviceStatus {
  const base = {
    deviceId: input.deviceId,
    connectionId: input.connectionId,
    family: 'xyz' as const,
    name: input.name,
    updatedAt: Date.now(),
  };
  const fields = input.xyz ? toDeviceFields(input.xyz) : null;
  const model = fields?.model ?? input.model?.name ?? null;
  if (input.link !== 'online' || !fields || !input.xyz) {
    return {
      ...base,
      model,
      serial: fields?.serial ?? null,
      firmware: fields?.firmware ?? null,
      link: input.link,
      state: input.link === 'connecting' ? 'unknown' : 'offline',
      stateText: input.link === 'connecting' ? 'Connecting…' : (input.linkProblem?.message.slice(0, 200) ?? 'Offline'),
      job: null,
      temperatures: [],
      filament: null,
      problem: input.linkProblem,
      capabilities: NO_CAPABILITIES,
    };
  }
  const job = fields.job ? { ...fields.job, name: fields.job.name ?? input.jobName } : null;
  return {
    ...base,
    ...fields,
    model,
    link: 'online',
    stateText: guidance(input.xyz) ?? fields.stateText,
    job,
    problem: fields.problem ?? input.linkProblem,
    capabilities: capabilitiesFor(modelOfStatus(input.xyz, input.model), input.protocol),
  };
}
