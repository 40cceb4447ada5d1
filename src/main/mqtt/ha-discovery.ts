import { PrinterState } from '../../shared/domain/device';
import { isButtonAction, type CommandAction, type HostTopics } from './topics';

/**
 * Home Assistant MQTT discovery, device-based (one retained config per device at
 * `<prefix>/device/<object_id>/config`, components under `components`). Full key names, never the
 * abbreviations: a mistyped abbreviation would be ignored silently as an unknown key.
 */

export const DEFAULT_DISCOVERY_PREFIX = 'homeassistant';
export const SUPPORT_URL = 'https://github.com/printdeck/printdeck';

export interface DiscoveryIdentity {
  prefix: string;
  hostUid: string;
  hostName: string;
  version: string;
  topics: HostTopics;
}

export interface PrinterDiscoveryInput {
  printer: string;
  name: string;
  model: string | null;
  firmware: string | null;
  serial: string | null;
  /** Buttons for these actions only: they exist only when commands are enabled. */
  commands: readonly CommandAction[];
  camera: boolean;
}

export interface DiscoveryMessage {
  topic: string;
  payload: Record<string, unknown>;
}

/** `object_id`s may hold only [a-zA-Z0-9_-]; slugs already do. */
const hostObjectId = (hostUid: string) => `pd_${hostUid}`;
const printerObjectId = (hostUid: string, printer: string) => `pd_${hostUid}_${printer}`;

function origin(id: DiscoveryIdentity) {
  return { name: 'Printdeck', sw_version: id.version, support_url: SUPPORT_URL };
}

/** The host: a device of its own with a connectivity sensor, which every printer names as `via_device`. */
export function hostDiscovery(id: DiscoveryIdentity): DiscoveryMessage {
  const objectId = hostObjectId(id.hostUid);
  return {
    topic: `${id.prefix}/device/${objectId}/config`,
    payload: {
      device: { identifiers: [objectId], name: id.hostName, manufacturer: 'Printdeck', model: 'Printdeck host', sw_version: id.version },
      origin: origin(id),
      components: {
        [`${objectId}_online`]: {
          platform: 'binary_sensor',
          unique_id: `${objectId}_online`,
          name: 'Online',
          device_class: 'connectivity',
          entity_category: 'diagnostic',
          state_topic: id.topics.status,
          payload_on: 'online',
          payload_off: 'offline',
        },
      },
      qos: 1,
    },
  };
}

export function printerDiscovery(id: DiscoveryIdentity, p: PrinterDiscoveryInput): DiscoveryMessage {
  const objectId = printerObjectId(id.hostUid, p.printer);
  const t = id.topics.printer(p.printer);
  const uid = (key: string) => `${objectId}_${key}`;
  const sensor = (key: string, name: string, template: string, extra: Record<string, unknown> = {}) => ({
    platform: 'sensor',
    unique_id: uid(key),
    name,
    state_topic: t.state,
    value_template: template,
    ...extra,
  });
  const temperature = (key: string, name: string, field: 'nozzle' | 'bed') =>
    sensor(key, name, `{{ value_json.${field}.actual }}`, {
      device_class: 'temperature',
      unit_of_measurement: '\u00b0C',
      state_class: 'measurement',
      suggested_display_precision: 1,
    });
  const components: Record<string, Record<string, unknown>> = {
    [uid('state')]: sensor('state', 'State', '{{ value_json.state }}', { device_class: 'enum', options: [...PrinterState.options] }),
    [uid('progress')]: sensor('progress', 'Progress', '{{ value_json.progress }}', { unit_of_measurement: '%', state_class: 'measurement', icon: 'mdi:printer-3d' }),
    [uid('remaining')]: sensor('remaining', 'Time left', '{{ value_json.job.remainingS if value_json.job else None }}', {
      device_class: 'duration',
      unit_of_measurement: 's',
    }),
    [uid('nozzle')]: temperature('nozzle', 'Nozzle temperature', 'nozzle'),
    [uid('bed')]: temperature('bed', 'Bed temperature', 'bed'),
    [uid('job')]: sensor('job', 'Job', "{{ value_json.job.name if value_json.job and value_json.job.name else '' }}", { icon: 'mdi:file-outline' }),
    [uid('problem')]: {
      platform: 'binary_sensor',
      unique_id: uid('problem'),
      name: 'Problem',
      device_class: 'problem',
      state_topic: t.state,
      value_template: "{{ 'ON' if value_json.error else 'OFF' }}",
    },
  };
  if (p.camera) components[uid('camera')] = { platform: 'camera', unique_id: uid('camera'), name: 'Camera', topic: t.camera };
  for (const action of p.commands.filter(isButtonAction)) {
    components[uid(action)] = {
      platform: 'button',
      unique_id: uid(action),
      name: action[0]!.toUpperCase() + action.slice(1),
      command_topic: t.cmd(action),
      payload_press: 'PRESS',
      retain: false,
      qos: 1,
    };
  }
  const device: Record<string, unknown> = {
    identifiers: [objectId],
    name: p.name,
    manufacturer: 'Printdeck',
    via_device: hostObjectId(id.hostUid),
  };
  if (p.model) device.model = p.model;
  if (p.firmware) device.sw_version = p.firmware;
  if (p.serial) device.serial_number = p.serial;
  return {
    topic: `${id.prefix}/device/${objectId}/config`,
    payload: {
      device,
      origin: origin(id),
      components,
      // Unavailable when the host is gone (its Last Will) or it lost the printer.
      availability: [{ topic: id.topics.status }, { topic: t.status }],
      availability_mode: 'all',
      qos: 0,
    },
  };
}

/** Where a printer's config lives, to clear it (an empty retained payload deletes the device in HA). */
export function printerDiscoveryTopic(prefix: string, hostUid: string, printer: string): string {
  return `${prefix}/device/${printerObjectId(hostUid, printer)}/config`;
}
