import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { hostDiscovery, printerDiscovery, type DiscoveryIdentity } from '../../../src/main/mqtt/ha-discovery';
import { hostTopics } from '../../../src/main/mqtt/topics';

/*
 * Home Assistant's MQTT discovery schema, written down from its documentation (the MQTT integration
 * page, "Discovery" and the sensor, button and camera platform pages): what makes HA drop a config.
 * Unknown keys are ignored by HA, so the objects are not strict; what is required or typed is checked.
 */
const DISCOVERY_TOPIC = /^(?<prefix>[^/]+)\/(?<component>\w+)\/(?:(?<node>[a-zA-Z0-9_-]+)\/)?(?<object>[a-zA-Z0-9_-]+)\/config$/;
// No control characters (U+0000–U+001F, U+007F–U+009F) and never empty.
const Topic = z.string().min(1).max(65535).regex(/^[^\u0000-\u001f\u007f-\u009f]+$/);
// A topic HA publishes to may not hold a wildcard.
const PublishTopic = Topic.refine((t) => !t.includes('+') && !t.includes('#'), 'wildcard in a publish topic');
const Qos = z.union([z.literal(0), z.literal(1), z.literal(2)]);

const Device = z
  .object({
    identifiers: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
    connections: z.array(z.tuple([z.string(), z.string()])).optional(),
    name: z.string().optional(),
    manufacturer: z.string().optional(),
    model: z.string().optional(),
    model_id: z.string().optional(),
    serial_number: z.string().optional(),
    hw_version: z.string().optional(),
    sw_version: z.string().optional(),
    suggested_area: z.string().optional(),
    via_device: z.string().optional(),
    configuration_url: z.string().url().optional(),
  })
  .refine((d) => d.identifiers !== undefined || d.connections !== undefined, 'Device must have at least one identifying value');
const Origin = z.object({ name: z.string().min(1), sw_version: z.string().optional(), support_url: z.string().url().optional() });
const AvailabilityItem = z.object({
  topic: Topic,
  payload_available: z.string().optional(),
  payload_not_available: z.string().optional(),
  value_template: z.string().optional(),
});
const Common = {
  platform: z.string(),
  unique_id: z.string().min(1),
  name: z.string().nullable().optional(),
  icon: z.string().optional(),
  entity_category: z.enum(['config', 'diagnostic']).optional(),
  enabled_by_default: z.boolean().optional(),
  qos: Qos.optional(),
  availability: z.array(AvailabilityItem).optional(),
  availability_topic: Topic.optional(),
  availability_mode: z.enum(['all', 'any', 'latest']).optional(),
};
const TEMPERATURE_UNITS = ['\u00b0C', '\u00b0F', 'K'];
const Sensor = z
  .object({
    ...Common,
    platform: z.literal('sensor'),
    state_topic: Topic,
    value_template: z.string().optional(),
    device_class: z.string().optional(),
    state_class: z.enum(['measurement', 'total', 'total_increasing']).optional(),
    unit_of_measurement: z.string().optional(),
    suggested_display_precision: z.number().int().nonnegative().optional(),
    options: z.array(z.string()).optional(),
    expire_after: z.number().int().positive().optional(),
  })
  .superRefine((s, ctx) => {
    if (s.options !== undefined) {
      if (s.device_class !== 'enum') ctx.addIssue({ code: 'custom', message: 'options requires device_class enum' });
      if (s.options.length === 0) ctx.addIssue({ code: 'custom', message: 'options must not be empty' });
      if (s.state_class !== undefined || s.unit_of_measurement !== undefined) ctx.addIssue({ code: 'custom', message: 'an enum has no unit or state class' });
    }
    if (s.device_class === 'temperature' && !TEMPERATURE_UNITS.includes(s.unit_of_measurement ?? '')) {
      ctx.addIssue({ code: 'custom', message: 'temperature needs °C, °F or K' });
    }
    if (s.entity_category !== undefined && s.entity_category !== 'diagnostic') ctx.addIssue({ code: 'custom', message: 'a sensor may only be diagnostic' });
  });
const BinarySensor = z.object({
  ...Common,
  platform: z.literal('binary_sensor'),
  state_topic: Topic,
  value_template: z.string().optional(),
  payload_on: z.string().optional(),
  payload_off: z.string().optional(),
  device_class: z.string().optional(),
});
const Button = z.object({
  ...Common,
  platform: z.literal('button'),
  command_topic: PublishTopic,
  payload_press: z.string().optional(),
  retain: z.literal(false).optional(),
  device_class: z.enum(['identify', 'restart', 'update']).optional(),
});
const Camera = z.object({ ...Common, platform: z.literal('camera'), topic: Topic, image_encoding: z.literal('b64').optional() });
const Component = z.discriminatedUnion('platform', [Sensor, BinarySensor, Button, Camera]);
const DevicePayload = z
  .object({
    device: Device,
    origin: Origin,
    components: z.record(z.string().regex(/^[a-zA-Z0-9_-]+$/), Component).refine((c) => Object.keys(c).length > 0),
    availability: z.array(AvailabilityItem).optional(),
    availability_topic: Topic.optional(),
    availability_mode: z.enum(['all', 'any', 'latest']).optional(),
    qos: Qos.optional(),
  })
  .refine((p) => p.availability === undefined || p.availability_topic === undefined, 'availability and availability_topic are exclusive');

const id: DiscoveryIdentity = { prefix: 'homeassistant', hostUid: '0123456789abcdef', hostName: 'Lab host', version: '1.2.3', topics: hostTopics('printdeck', 'lab-a', '0123456789abcdef') };

function validate(topic: string, payload: Record<string, unknown>) {
  const m = DISCOVERY_TOPIC.exec(topic);
  expect(m?.groups).toMatchObject({ prefix: 'homeassistant', component: 'device' });
  // HA receives JSON: what survives a round trip is what it sees.
  const parsed = DevicePayload.safeParse(JSON.parse(JSON.stringify(payload)));
  if (!parsed.success) throw new Error(parsed.error.message);
  const ids = Object.values(parsed.data.components).map((c) => c.unique_id);
  expect(new Set(ids).size).toBe(ids.length);
  return parsed.data;
}

const printer = { printer: 'xyz-1-abc', name: 'MK4', model: 'da Vinci 1.0', firmware: '1.2', serial: '3F1A', camera: false, commands: [] } as const;

describe('Home Assistant discovery payloads', () => {
  it('a printer is a device with state, progress, time left and temperature sensors, and no buttons while commands are off', () => {
    const msg = printerDiscovery(id, printer);
    const data = validate(msg.topic, msg.payload);
    const platforms = Object.values(data.components).map((c) => c.platform);
    expect(platforms).not.toContain('button');
    expect(platforms).not.toContain('camera');
    const byName = Object.fromEntries(Object.values(data.components).map((c) => [c.name, c]));
    expect(Object.keys(byName)).toEqual(expect.arrayContaining(['State', 'Progress', 'Time left', 'Nozzle temperature', 'Bed temperature']));
    expect(byName['Nozzle temperature']).toMatchObject({ device_class: 'temperature', unit_of_measurement: '°C' });
    expect(data.availability_mode).toBe('all');
    expect(data.availability?.map((a) => a.topic)).toEqual(['printdeck/lab-a/0123456789abcdef/status', 'printdeck/lab-a/0123456789abcdef/printer/xyz-1-abc/status']);
    expect(data.device.via_device).toBe('pd_0123456789abcdef');
    expect(data.origin.name).toBe('Printdeck');
  });

  it('buttons appear for exactly the enabled commands, and a camera where there is one', () => {
    // print-job and print carry a job or a file: they are no buttons.
    const msg = printerDiscovery(id, { ...printer, camera: true, commands: ['pause', 'print-job', 'resume', 'print'] });
    const data = validate(msg.topic, msg.payload);
    const buttons = Object.values(data.components).filter((c) => c.platform === 'button');
    expect(buttons.map((b) => (b as z.infer<typeof Button>).command_topic)).toEqual([
      'printdeck/lab-a/0123456789abcdef/printer/xyz-1-abc/cmd/pause',
      'printdeck/lab-a/0123456789abcdef/printer/xyz-1-abc/cmd/resume',
    ]);
    const camera = Object.values(data.components).find((c) => c.platform === 'camera');
    expect(camera).toMatchObject({ topic: 'printdeck/lab-a/0123456789abcdef/printer/xyz-1-abc/camera' });
  });

  it('the host is a device with a connectivity sensor', () => {
    const msg = hostDiscovery(id);
    const data = validate(msg.topic, msg.payload);
    expect(Object.values(data.components)).toEqual([expect.objectContaining({ platform: 'binary_sensor', device_class: 'connectivity' })]);
  });

  it('the schema written from the documentation rejects what HA rejects', () => {
    const good = printerDiscovery(id, { ...printer, camera: true, commands: ['cancel'] }).payload as Record<string, unknown> & {
      components: Record<string, Record<string, unknown>>;
    };
    const clone = () => JSON.parse(JSON.stringify(good)) as typeof good;
    const broken: (typeof good)[] = [];
    let c = clone();
    c.device = { name: 'no identifiers' };
    broken.push(c);
    c = clone();
    delete c.origin;
    broken.push(c);
    for (const [platform, key] of [['sensor', 'state_topic'], ['button', 'command_topic'], ['camera', 'topic']] as const) {
      c = clone();
      delete Object.values(c.components).find((x) => x.platform === platform)![key];
      broken.push(c);
    }
    c = clone();
    Object.values(c.components).find((x) => x.platform === 'button')!.command_topic = 'printdeck/+/cmd';
    broken.push(c);
    c = clone();
    c.availability_topic = 'x';
    broken.push(c);
    c = clone();
    Object.values(c.components).find((x) => x.name === 'State')!.unit_of_measurement = '%';
    broken.push(c);
    for (const b of broken) expect(DevicePayload.safeParse(b).success).toBe(false);
    expect(DevicePayload.safeParse(good).success).toBe(true);
  });
});
