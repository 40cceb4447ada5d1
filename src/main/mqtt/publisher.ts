import type { MqttClient } from 'mqtt';
import type { DeviceStatus } from '../../shared/domain/device';
import { AppError } from '../../shared/rpc/result';
import type { Fleet } from '../devices/fleet';
import type { PrinterProfile } from '../devices/print-profiles';
import type { QueuedJobStarter } from '../devices/queued-jobs';
import type { Logger } from '../log';
import { closeClient, openClient, publishWithin, describeBrokerError, type BrokerAddress } from './client';
import { Coalescer } from './coalescer';
import { hostDiscovery, printerDiscovery, printerDiscoveryTopic, type DiscoveryIdentity } from './ha-discovery';
import { ChunkProperties, CommandBody, jobEventOf, MAX_PAYLOAD_BYTES, PrintBody, PrintJobBody, toStatePayload, worthPublishing, type CommandReply, type HostInfo, type ProfilePayload, type StatePayload } from './payloads';
import type { PrintReceiver } from './print-receiver';
import { hostTopics, isButtonAction, isCommandAction, parseTopic, slugify, type CommandAction, type HostTopics } from './topics';

export interface PublishSettings extends BrokerAddress {
  site: string;
  hostUid: string;
  hostName: string;
  base: string;
  discovery: boolean;
  discoveryPrefix: string;
  /** Commands accepted from the broker; empty (the default) accepts none. */
  commands: readonly CommandAction[];
  /** Camera frames, at most one per printer every `cameraIntervalMs`. Off by default. */
  camera: boolean;
}

export type PublisherLink = { state: 'connecting' | 'online' | 'offline' | 'error'; message: string | null };

export interface PublisherOptions {
  fleet: Fleet;
  log: Logger;
  settings: PublishSettings;
  version: string;
  onLink?: (link: PublisherLink) => void;
  /** What each printer can print, published with its state so another site's queue can route to it. */
  profileOf?: (status: DeviceStatus) => PrinterProfile;
  /** Starts jobs of this host's queue (the `print-job` command); without one that command is UNSUPPORTED. */
  queue?: QueuedJobStarter | null;
  /** Takes files from other sites' queues (the `print` command). */
  receiver?: PrintReceiver | null;
  /** Tuning, for tests and the bench; the defaults follow the recommended rates. */
  stateIntervalMs?: number;
  maxPerSecond?: number;
  keepaliveS?: number;
  reconnectPeriodMs?: number;
  cameraIntervalMs?: number;
  /** Home Assistant asks for discovery again after restarting; we answer after a random pause in this range. */
  birthDelayMs?: readonly [number, number];
}

interface Known {
  printer: string;
  last: DeviceStatus;
  offered: StatePayload | null;
  discoveryKey: string;
  online: boolean | null;
  /** The profile last published (JSON), '' when none yet on this connection. */
  profile: string;
}

const STOP_TIMEOUT_MS = 2000;
const MAX_CAMERA_BYTES = 256 * 1024;

/**
 * Publishes this host's fleet to an MQTT broker (docs/mqtt.md): host availability with a retained
 * Last Will, each printer's link and state (retained, on change, rate-limited), job events, Home
 * Assistant discovery, optional camera frames, and — only when enabled — commands from the broker.
 * Devices that came from another site are never republished, so two hosts cannot echo each other.
 */
export class MqttPublisher {
  private client: MqttClient | null = null;
  private readonly topics: HostTopics;
  private readonly known = new Map<string, Known>();
  private readonly byPrinter = new Map<string, string>();
  private readonly lastCommandAt = new Map<string, number>();
  private readonly coalescer: Coalescer<StatePayload>;
  private readonly startedAt = Date.now();
  private unsubscribe: (() => void) | null = null;
  private cameraTimer: ReturnType<typeof setInterval> | null = null;
  private birthTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  /** Bytes and messages handed to the broker, for the bench and the status line. */
  readonly stats = { messages: 0, bytes: 0 };

  constructor(private readonly options: PublisherOptions) {
    const s = options.settings;
    this.topics = hostTopics(s.base, s.site, s.hostUid);
    this.coalescer = new Coalescer((deviceId, payload) => this.sendState(deviceId, payload), {
      minIntervalMs: options.stateIntervalMs ?? 1000,
      maxPerSecond: options.maxPerSecond ?? 500,
    });
  }

  get hostTopics(): HostTopics {
    return this.topics;
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  start(): void {
    const s = this.options.settings;
    for (const status of this.options.fleet.list()) this.observe(status);
    this.unsubscribe = this.options.fleet.onChange((change) => {
      if (change.type === 'status') this.observe(change.status);
      else this.removed(change.deviceId);
    });
    this.link({ state: 'connecting', message: null });
    const client = openClient({
      url: s.url,
      username: s.username,
      password: s.password,
      clientId: `pd-${s.hostUid}`,
      will: { topic: this.topics.status, payload: 'offline' },
      keepaliveS: this.options.keepaliveS ?? 30,
      reconnectPeriodMs: this.options.reconnectPeriodMs ?? 5000,
    });
    this.client = client;
    client.on('connect', () => this.connectedNow());
    client.on('message', (topic, payload, packet) => void this.message(topic, payload, packet.retain, packet.properties?.userProperties));
    client.on('error', (err) => {
      const message = describeBrokerError(err);
      this.options.log.warn(`MQTT broker ${s.url}: ${message}`);
      this.link({ state: 'error', message });
    });
    client.on('offline', () => this.link({ state: 'offline', message: 'The broker cannot be reached; reconnecting.' }));
    if (s.camera) {
      this.cameraTimer = setInterval(() => void this.publishCameras(), this.options.cameraIntervalMs ?? 10_000);
      this.cameraTimer.unref?.();
    }
  }

  /** Says `offline` for every printer and the host (awaiting the broker, ~2 s at most), then disconnects. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.coalescer.dispose();
    if (this.cameraTimer) clearInterval(this.cameraTimer);
    if (this.birthTimer) clearTimeout(this.birthTimer);
    const client = this.client;
    this.client = null;
    if (!client) return;
    if (client.connected) {
      // A clean DISCONNECT discards the Will, so the host says it itself.
      const sent = [...this.known.values()].map((k) => publishWithin(client, this.topics.printer(k.printer).status, 'offline', { qos: 1, retain: true }, STOP_TIMEOUT_MS));
      sent.push(publishWithin(client, this.topics.status, 'offline', { qos: 1, retain: true }, STOP_TIMEOUT_MS));
      await Promise.all(sent);
    }
    await closeClient(client);
    this.link({ state: 'offline', message: null });
  }

  private link(link: PublisherLink): void {
    this.options.onLink?.(link);
  }

  private publish(topic: string, payload: string | Buffer, retain: boolean, qos: 0 | 1): void {
    const client = this.client;
    if (!client?.connected) return;
    const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
    if (size > (topic.endsWith('/camera') ? MAX_CAMERA_BYTES : MAX_PAYLOAD_BYTES)) {
      this.options.log.warn(`not publishing ${topic}: ${size} bytes is over the limit`);
      return;
    }
    this.stats.messages++;
    this.stats.bytes += size + Buffer.byteLength(topic);
    client.publish(topic, payload, { qos, retain }, (err) => {
      if (err && !this.stopped) this.options.log.warn(`publishing ${topic} failed: ${err.message}`);
    });
  }

  private connectedNow(): void {
    const client = this.client;
    if (!client) return;
    const s = this.options.settings;
    this.options.log.info(`connected to MQTT broker ${s.url} as site ${s.site}`);
    this.link({ state: 'online', message: null });
    // Commands are heard only when some are enabled; then an action off the list gets a FORBIDDEN reply, not silence.
    const filters = s.commands.length > 0 ? [this.topics.commandFilter] : [];
    if (s.discovery) filters.push(`${s.discoveryPrefix}/status`);
    // Retain As Published: a live delivery of a command someone retained keeps its flag, so it can be refused.
    if (filters.length > 0) client.subscribe(filters, { qos: 1, rap: true });
    this.publish(this.topics.status, 'online', true, 1);
    this.publishInfo();
    this.coalescer.resetIntervals();
    for (const k of this.known.values()) {
      k.online = null;
      k.offered = null;
      k.profile = '';
      this.publishPrinter(k);
    }
    this.publishDiscovery();
  }

  private observe(status: DeviceStatus): void {
    if (status.site) return;
    let k = this.known.get(status.deviceId);
    const fresh = !k;
    if (!k) {
      k = { printer: slugify(status.deviceId), last: status, offered: null, discoveryKey: '', online: null, profile: '' };
      this.known.set(status.deviceId, k);
      this.byPrinter.set(k.printer, status.deviceId);
    }
    const event = jobEventOf(fresh ? undefined : k.last, status, Date.now());
    k.last = status;
    if (!this.client?.connected) return;
    if (fresh) this.publishInfo();
    if (event) this.publish(this.topics.printer(k.printer).event, JSON.stringify(event), false, 1);
    this.publishPrinter(k);
  }

  private publishPrinter(k: Known): void {
    const t = this.topics.printer(k.printer);
    const online = k.last.link === 'online';
    if (online !== k.online) {
      k.online = online;
      this.publish(t.status, online ? 'online' : 'offline', true, 1);
    }
    const profile = this.options.profileOf?.(k.last);
    const body: ProfilePayload | null = profile
      ? { v: 1, formats: [...profile.formats], machineIds: profile.machineIds ? [...profile.machineIds] : null, buildVolumeMm: profile.buildVolumeMm, nozzleMm: profile.nozzleMm }
      : null;
    const profileJson = body ? JSON.stringify(body) : '';
    if (profileJson && profileJson !== k.profile) {
      k.profile = profileJson;
      this.publish(t.profile, profileJson, true, 1);
    }
    const payload = toStatePayload(k.last, Date.now());
    if (worthPublishing(k.offered ?? undefined, payload)) {
      k.offered = payload;
      this.coalescer.offer(k.last.deviceId, payload);
    }
    if (this.options.settings.discovery && this.discoveryKeyOf(k) !== k.discoveryKey) this.publishPrinterDiscovery(k);
  }

  private sendState(deviceId: string, payload: StatePayload): void {
    const k = this.known.get(deviceId);
    if (k) this.publish(this.topics.printer(k.printer).state, JSON.stringify(payload), true, 0);
  }

  private removed(deviceId: string): void {
    const k = this.known.get(deviceId);
    if (!k) return;
    this.known.delete(deviceId);
    this.byPrinter.delete(k.printer);
    this.coalescer.drop(deviceId);
    // Whatever we retained, we clear: a ghost printer would stay in every subscriber and in Home Assistant.
    const t = this.topics.printer(k.printer);
    const s = this.options.settings;
    if (s.discovery) this.publish(printerDiscoveryTopic(s.discoveryPrefix, s.hostUid, k.printer), '', true, 1);
    this.publish(t.status, '', true, 1);
    this.publish(t.state, '', true, 1);
    this.publish(t.profile, '', true, 1);
    this.publishInfo();
  }

  private publishInfo(): void {
    const s = this.options.settings;
    const info: HostInfo = {
      v: 1,
      hostUid: s.hostUid,
      name: s.hostName,
      version: this.options.version,
      startedAt: this.startedAt,
      printers: [...this.known.values()].map((k) => k.printer),
      commands: [...s.commands],
      ts: Date.now(),
    };
    this.publish(this.topics.info, JSON.stringify(info), true, 1);
  }

  private identity(): DiscoveryIdentity {
    const s = this.options.settings;
    return { prefix: s.discoveryPrefix, hostUid: s.hostUid, hostName: s.hostName, version: this.options.version, topics: this.topics };
  }

  private discoveryKeyOf(k: Known): string {
    const st = k.last;
    return JSON.stringify([st.name, st.model, st.firmware, st.serial, this.cameraOf(k)]);
  }

  private cameraOf(k: Known): boolean {
    return this.options.settings.camera && k.last.capabilities.camera;
  }

  private publishPrinterDiscovery(k: Known): void {
    k.discoveryKey = this.discoveryKeyOf(k);
    const st = k.last;
    const msg = printerDiscovery(this.identity(), {
      printer: k.printer,
      name: st.name,
      model: st.model,
      firmware: st.firmware,
      serial: st.serial,
      commands: this.options.settings.commands,
      camera: this.cameraOf(k),
    });
    this.publish(msg.topic, JSON.stringify(msg.payload), true, 1);
  }

  private publishDiscovery(): void {
    if (!this.options.settings.discovery) return;
    const host = hostDiscovery(this.identity());
    this.publish(host.topic, JSON.stringify(host.payload), true, 1);
    for (const k of this.known.values()) this.publishPrinterDiscovery(k);
  }

  private async publishCameras(): Promise<void> {
    for (const k of [...this.known.values()]) {
      if (!this.cameraOf(k) || k.last.link !== 'online' || !this.client?.connected) continue;
      try {
        const frame = await this.options.fleet.driver(k.last.deviceId).captureSnapshot();
        if (frame.mime === 'image/jpeg') this.publish(this.topics.printer(k.printer).camera, Buffer.from(frame.data), false, 0);
      } catch (err) {
        this.options.log.debug(`no camera frame from ${k.last.name}: ${(err as Error).message}`);
      }
    }
  }

  private async message(topic: string, payload: Buffer, retained: boolean, props: Record<string, string | string[]> | undefined): Promise<void> {
    const s = this.options.settings;
    if (topic === `${s.discoveryPrefix}/status`) {
      // Home Assistant's birth message (not retained): it has forgotten what it was told, so tell it again.
      if (payload.toString('utf8') !== 'online' || !s.discovery) return;
      const [min, max] = this.options.birthDelayMs ?? [1000, 5000];
      if (this.birthTimer) clearTimeout(this.birthTimer);
      this.birthTimer = setTimeout(() => {
        this.birthTimer = null;
        this.publishDiscovery();
        for (const k of this.known.values()) {
          k.offered = null;
          this.publish(this.topics.printer(k.printer).state, JSON.stringify(toStatePayload(k.last, Date.now())), true, 0);
        }
      }, min + Math.random() * (max - min));
      return;
    }
    const parsed = parseTopic(s.base, s.site, topic);
    if (parsed?.kind !== 'printer-cmd' || parsed.host !== s.hostUid) return;
    await this.command(parsed.printer, parsed.action, payload, retained, props);
  }

  private async command(printer: string, action: string, payload: Buffer, retained: boolean, props: Record<string, string | string[]> | undefined): Promise<void> {
    // A retained command would run again for every subscriber that comes along: never execute one.
    if (retained) {
      this.options.log.warn(`ignored a retained ${action} command for ${printer}`);
      return;
    }
    // A file's bytes come as binary messages whose id and offset are user properties.
    const chunk = action === 'print' && props?.op === 'chunk' ? ChunkProperties.safeParse(props) : null;
    let json: unknown = null;
    if (!chunk) {
      try {
        json = JSON.parse(payload.toString('utf8'));
      } catch {
        // Home Assistant's button sends PRESS, not JSON.
      }
    }
    const withId = chunk ? (chunk.success ? chunk.data : null) : CommandBody.safeParse(json).data;
    const id = withId?.id ?? null;
    const reply = (error: CommandReply['error'], received?: number) => {
      const message: CommandReply = { v: 1, id, action, ok: error === null, error, ...(received === undefined ? {} : { received }), ts: Date.now() };
      this.publish(this.topics.printer(printer).ack, JSON.stringify(message), false, 1);
    };
    const s = this.options.settings;
    if (!isCommandAction(action) || !s.commands.includes(action)) {
      reply({ code: 'FORBIDDEN', message: `This host does not take ${action} commands over MQTT.` });
      return;
    }
    const deviceId = this.byPrinter.get(printer);
    if (!deviceId) {
      reply({ code: 'NOT_FOUND', message: `No printer ${printer} on this host.` });
      return;
    }
    if (action === 'print') {
      await this.receive(deviceId, payload, json, chunk, reply);
      return;
    }
    // A malformed request is answered before it counts against the printer's one command a second.
    const job = action === 'print-job' ? PrintJobBody.safeParse(json) : null;
    if (job && !job.success) {
      reply({ code: 'BAD_REQUEST', message: 'A print-job command is {"id": …, "job": "<queue job id>"}.' });
      return;
    }
    const now = Date.now();
    if (now - (this.lastCommandAt.get(printer) ?? -Infinity) < 1000) {
      reply({ code: 'CONFLICT', message: 'One command a second per printer: try again in a moment.' });
      return;
    }
    this.lastCommandAt.set(printer, now);
    this.options.log.info(`MQTT command ${action} for ${this.known.get(deviceId)?.last.name ?? printer}`);
    try {
      if (isButtonAction(action)) await this.options.fleet.driver(deviceId)[action]();
      else if (job?.success) await this.printJob(deviceId, job.data.job);
      reply(null);
    } catch (err) {
      if (err instanceof AppError) reply({ code: err.code, message: err.message.slice(0, 1000) });
      else {
        this.options.log.error(`MQTT command ${action} failed`, err);
        reply({ code: 'INTERNAL', message: 'The command failed; see the host log.' });
      }
    }
  }

  /** `print-job`: a job of this host's own queue, started on the printer of the topic. */
  private async printJob(deviceId: string, jobId: string): Promise<void> {
    if (!this.options.queue) throw new AppError('UNSUPPORTED', 'This host has no print queue.');
    await this.options.queue.startQueued(jobId, deviceId);
  }

  /** `print`: one message of a file another site's queue sends (begin, a chunk, commit, abort). */
  private async receive(
    deviceId: string,
    payload: Buffer,
    json: unknown,
    chunk: ReturnType<typeof ChunkProperties.safeParse> | null,
    reply: (error: CommandReply['error'], received?: number) => void,
  ): Promise<void> {
    const receiver = this.options.receiver;
    if (!receiver) {
      reply({ code: 'UNSUPPORTED', message: 'This host does not take files from other sites.' });
      return;
    }
    let answer;
    if (chunk) {
      if (!chunk.success) {
        reply({ code: 'BAD_REQUEST', message: 'A chunk carries the user properties op=chunk, id, upload and offset.' });
        return;
      }
      answer = await receiver.chunk(deviceId, chunk.data, payload);
    } else {
      const body = PrintBody.safeParse(json);
      if (!body.success) {
        reply({ code: 'BAD_REQUEST', message: 'A print message is begin, commit or abort (docs/mqtt.md).' });
        return;
      }
      answer = await receiver.handle(deviceId, body.data);
    }
    reply(answer.error, answer.received);
  }
}
