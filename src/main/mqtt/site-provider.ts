import { randomUUID } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { Listeners } from '../../shared/async';
import { SITE_NAME } from '../../shared/contract';
import { NO_CAPABILITIES, type DeviceStatus, type Temperature } from '../../shared/domain/device';
import { AppError } from '../../shared/rpc/result';
import { isJobActive } from '../../shared/domain/device-state';
import type { CameraFrame, PrinterDriver, PrintRequest, TransferProgress } from '../devices/driver';
import type { PrinterProfile } from '../devices/print-profiles';
import type { DeviceChange, DeviceProvider, DriverContext } from '../devices/fleet';
import type { Logger } from '../log';
import { closeClient, openClient, describeBrokerError, splitBrokerUrl, type BrokerAddress } from './client';
import { CommandReply, HostInfo, parseJson, ProfilePayload, StatePayload } from './payloads';
import { uploadPrint, type UploadTuning } from './site-upload';
import { DEFAULT_BASE, hostTopics, parseTopic, siteFilters, type CommandAction } from './topics';

const COMMAND_TIMEOUT_MS = 10_000;

export interface SiteAddress extends BrokerAddress {
  site: string;
}

/** `mqtt://user@broker:1883/lab-2` → the broker, the user, the site; the password comes from the secret store. */
export function parseSiteAddress(address: string, secret: string | null): SiteAddress {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new AppError('BAD_REQUEST', `"${address}" is not a site address.`, 'address');
  }
  const site = decodeURIComponent(url.pathname.slice(1));
  if (!SITE_NAME.test(site)) throw new AppError('BAD_REQUEST', 'A site address ends with the site name, e.g. mqtt://broker:1883/lab-2.', 'address');
  url.pathname = '';
  const broker = splitBrokerUrl(url.toString());
  if (typeof broker === 'string') throw new AppError('BAD_REQUEST', broker, 'address');
  return { url: broker.url, username: broker.username, password: secret, site };
}

interface Remote {
  host: string;
  printer: string;
  state: StatePayload | null;
  /** What it can print, as its host publishes it; null from hosts older than site printing. */
  profile: PrinterProfile | null;
  printerOnline: boolean;
  frame: CameraFrame | null;
  driver: RemoteDriver;
}

/** One printer another host publishes: status from its retained topics, commands where that host allows them. */
class RemoteDriver implements PrinterDriver {
  private readonly listeners = new Listeners<[DeviceStatus]>();
  private current: DeviceStatus;

  constructor(
    readonly deviceId: string,
    private readonly site: SiteProvider,
    private readonly remote: () => Remote,
  ) {
    this.current = this.build();
  }

  start(): void {}
  async stop(): Promise<void> {}
  status(): DeviceStatus {
    return this.current;
  }
  onStatus(listener: (status: DeviceStatus) => void): () => void {
    return this.listeners.add(listener);
  }

  refresh(): void {
    this.current = this.build();
    this.listeners.emit(this.current);
  }

  private build(): DeviceStatus {
    const r = this.remote();
    const s = r.state;
    const reachable = this.site.hostOnline(r.host) && r.printerOnline && s !== null;
    const allowed = this.site.commandsOf(r.host);
    const temps: Temperature[] = [];
    if (s) {
      temps.push({ sensor: 'nozzle', ...s.nozzle }, { sensor: 'bed', ...s.bed });
      if (s.chamber) temps.push({ sensor: 'chamber', actual: s.chamber.actual, target: null });
    }
    return {
      deviceId: this.deviceId,
      connectionId: this.site.connectionId,
      family: s?.family ?? 'xyz',
      name: s?.name ?? r.printer,
      model: s?.model ?? null,
      serial: null,
      firmware: null,
      // While its host is offline, a printer is stale whatever its own retained topics still say.
      link: reachable ? (s?.link ?? 'offline') : 'offline',
      state: reachable ? (s?.state ?? 'unknown') : 'offline',
      stateText: reachable ? (s?.stateText ?? '') : this.site.hostOnline(r.host) ? 'Its host cannot reach it' : 'Its host is offline',
      job: s?.job
        ? { name: s.job.name, progress: s.progress === null ? null : s.progress / 100, elapsedSec: s.job.elapsedS, remainingSec: s.job.remainingS, taskId: null }
        : null,
      temperatures: temps,
      filament: null,
      problem: s?.error ? { code: 'REMOTE', message: s.error } : null,
      capabilities: {
        ...NO_CAPABILITIES,
        // Printing goes through its host, which must take files from other sites (`print` on its list).
        print: (s?.capabilities.print ?? false) && allowed.includes('print'),
        pause: (s?.capabilities.pause ?? false) && allowed.includes('pause') && allowed.includes('resume'),
        cancel: (s?.capabilities.cancel ?? false) && allowed.includes('cancel'),
        camera: r.frame !== null,
      },
      site: this.site.siteName,
      updatedAt: Date.now(),
    };
  }

  print(request: PrintRequest, onProgress: (p: TransferProgress) => void, signal: AbortSignal): Promise<void> {
    return this.site.print(this.remote(), request, onProgress, signal);
  }
  pause(): Promise<void> {
    return this.site.command(this.remote(), 'pause');
  }
  resume(): Promise<void> {
    return this.site.command(this.remote(), 'resume');
  }
  cancel(): Promise<void> {
    return this.site.command(this.remote(), 'cancel');
  }
  maintenance(): Promise<void> {
    return Promise.reject(new AppError('UNSUPPORTED', 'Maintenance runs from the printer’s own host.'));
  }
  captureSnapshot(): Promise<CameraFrame> {
    const frame = this.remote().frame;
    return frame ? Promise.resolve(frame) : Promise.reject(new AppError('UNSUPPORTED', 'Its host does not share camera frames.'));
  }
}

/**
 * Another site's printers, as a connection of kind `site`: subscribes to the site's tree on the
 * broker (the retained replay is the first picture), keeps one RemoteDriver per printer, sends
 * commands to `…/cmd/<action>` with an id and waits for the matching `…/ack`.
 */
export class SiteProvider implements DeviceProvider {
  private client: MqttClient | null = null;
  private readonly hosts = new Map<string, { online: boolean; info: HostInfo | null }>();
  private readonly remotes = new Map<string, Remote>();
  private readonly changes = new Listeners<[DeviceChange]>();
  private readonly waiting = new Map<string, { resolve: (reply: CommandReply | 'lost') => void }>();
  private readonly address: SiteAddress;
  private readonly log: Logger;
  readonly connectionId: string;

  constructor(
    ctx: DriverContext,
    private readonly options: { base?: string; reconnectPeriodMs?: number; upload?: UploadTuning } = {},
  ) {
    this.address = parseSiteAddress(ctx.connection.address, ctx.secret);
    this.connectionId = ctx.connection.id;
    this.log = ctx.log;
  }

  get siteName(): string {
    return this.address.site;
  }

  hostOnline(host: string): boolean {
    return this.hosts.get(host)?.online ?? false;
  }

  commandsOf(host: string): readonly CommandAction[] {
    return this.hosts.get(host)?.info?.commands ?? [];
  }

  /** What a printer of this site can print, as its host publishes it (null: an older host; the family table decides). */
  profileOf(deviceId: string): PrinterProfile | null {
    for (const r of this.remotes.values()) if (r.driver.deviceId === deviceId) return r.profile;
    return null;
  }

  start(): void {
    const client = openClient({
      url: this.address.url,
      username: this.address.username,
      password: this.address.password,
      clientId: `pd-site-${this.connectionId.replace(/[^a-zA-Z0-9]/g, '').slice(0, 20)}-${randomUUID().slice(0, 8)}`,
      reconnectPeriodMs: this.options.reconnectPeriodMs ?? 5000,
    });
    this.client = client;
    client.on('connect', () => {
      client.subscribe(siteFilters(this.base, this.address.site), { qos: 1 });
    });
    client.on('message', (topic, payload) => this.message(topic, payload));
    // Whoever waits for a reply learns at once that the broker went, and asks again once it is back.
    client.on('close', () => {
      for (const w of [...this.waiting.values()]) w.resolve('lost');
    });
    client.on('error', (err) => this.log.warn(`site ${this.address.site} at ${this.address.url}: ${describeBrokerError(err)}`));
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = null;
    for (const w of [...this.waiting.values()]) w.resolve({ v: 1, id: null, action: '', ok: false, error: { code: 'CANCELLED', message: 'The site connection closed.' }, ts: Date.now() });
    this.waiting.clear();
    if (client) await closeClient(client);
  }

  drivers(): PrinterDriver[] {
    return [...this.remotes.values()].map((r) => r.driver);
  }

  onChange(listener: (change: DeviceChange) => void): () => void {
    return this.changes.add(listener);
  }

  async command(remote: Remote, action: CommandAction): Promise<void> {
    this.mayAsk(remote, action);
    const id = randomUUID();
    const reply = await this.ask(remote, action, id, JSON.stringify({ id }), null, COMMAND_TIMEOUT_MS);
    if (reply === 'lost') throw new AppError('UNAVAILABLE', `The broker of site ${this.address.site} went away before the printer’s host answered.`);
    if (reply === 'timeout') throw new AppError('TIMEOUT', `The printer’s host did not answer the ${action} command.`);
    if (!reply.ok) throw new AppError(reply.error?.code ?? 'INTERNAL', reply.error?.message ?? `${action} failed.`);
  }

  /** Sends a file to the printer's host, which prints it once its printer is free (its `print` command). */
  async print(remote: Remote, request: PrintRequest, onProgress: (p: TransferProgress) => void, signal: AbortSignal): Promise<void> {
    this.mayAsk(remote, 'print');
    await uploadPrint(
      {
        ask: (id, payload, userProperties, timeoutMs) => this.ask(remote, 'print', id, payload, userProperties, timeoutMs),
        whenConnected: (ms) => this.whenConnected(ms),
        showsJob: (name) => {
          const s = remote.driver.status();
          return isJobActive(s.state) && s.job?.name === name;
        },
      },
      request,
      onProgress,
      signal,
      this.options.upload,
    );
  }

  private mayAsk(remote: Remote, action: CommandAction): void {
    if (!this.client?.connected) throw new AppError('UNAVAILABLE', `The broker of site ${this.address.site} cannot be reached.`);
    if (!this.hostOnline(remote.host)) throw new AppError('UNAVAILABLE', 'The printer’s host is offline.');
    if (!this.commandsOf(remote.host).includes(action)) throw new AppError('FORBIDDEN', `The printer’s host does not take ${action} commands from other sites.`);
  }

  /** Publishes one command and waits for the reply carrying its id (or the broker going, or the time running out). */
  private ask(remote: Remote, action: CommandAction, id: string, payload: string | Buffer, userProperties: Record<string, string> | null, timeoutMs: number): Promise<CommandReply | 'lost' | 'timeout'> {
    const client = this.client;
    if (!client?.connected) return Promise.resolve('lost');
    const t = hostTopics(this.base, this.address.site, remote.host).printer(remote.printer);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve('timeout');
      }, timeoutMs);
      this.waiting.set(id, {
        resolve: (r) => {
          clearTimeout(timer);
          this.waiting.delete(id);
          resolve(r);
        },
      });
      // Never retained: a retained command would run again for every new subscriber.
      client.publish(t.cmd(action), payload, {
        qos: 1,
        retain: false,
        properties: { messageExpiryInterval: 30, ...(userProperties ? { userProperties } : {}) },
      });
    });
  }

  private whenConnected(ms: number): Promise<boolean> {
    const client = this.client;
    if (!client) return Promise.resolve(false);
    if (client.connected) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        client.off('connect', onConnect);
        resolve(ok);
      };
      const onConnect = () => done(true);
      const timer = setTimeout(() => done(false), ms);
      client.on('connect', onConnect);
    });
  }

  private get base(): string {
    return this.options.base ?? DEFAULT_BASE;
  }

  private message(topic: string, payload: Buffer): void {
    const parsed = parseTopic(this.base, this.address.site, topic);
    if (!parsed) return;
    if (parsed.kind === 'host-status' || parsed.kind === 'host-info') {
      const host = this.hosts.get(parsed.host) ?? { online: false, info: null };
      if (parsed.kind === 'host-status') host.online = payload.toString('utf8') === 'online';
      else host.info = parseJson(HostInfo, payload);
      this.hosts.set(parsed.host, host);
      for (const r of this.remotes.values()) if (r.host === parsed.host) this.refresh(r);
      return;
    }
    if (parsed.kind === 'printer-cmd' || parsed.kind === 'printer-event') return;
    const key = `${parsed.host}/${parsed.printer}`;
    if (parsed.kind === 'printer-ack') {
      const reply = parseJson(CommandReply, payload);
      if (reply?.id) this.waiting.get(reply.id)?.resolve(reply);
      return;
    }
    // An empty retained payload is the host clearing a printer it no longer has.
    if (payload.length === 0 && (parsed.kind === 'printer-state' || parsed.kind === 'printer-status')) {
      this.forget(key);
      return;
    }
    let remote = this.remotes.get(key);
    if (!remote) {
      // A frame or a cleared profile does not make a printer (the profile is cleared after the state on removal).
      if (parsed.kind === 'printer-camera' || (parsed.kind === 'printer-profile' && payload.length === 0)) return;
      const created: Remote = { host: parsed.host, printer: parsed.printer, state: null, profile: null, printerOnline: false, frame: null, driver: null as unknown as RemoteDriver };
      created.driver = new RemoteDriver(`site:${this.connectionId}:${key}`, this, () => created);
      this.remotes.set(key, created);
      remote = created;
    }
    if (parsed.kind === 'printer-state') {
      const state = parseJson(StatePayload, payload);
      if (!state) {
        this.log.warn(`ignored a state message on ${topic} that is not Printdeck's state JSON`);
        return;
      }
      remote.state = state;
    } else if (parsed.kind === 'printer-profile') {
      // An empty message clears it; the queue then uses this host's own table for the family.
      const profile = payload.length === 0 ? null : parseJson(ProfilePayload, payload);
      remote.profile = profile ? { formats: profile.formats, machineIds: profile.machineIds, buildVolumeMm: profile.buildVolumeMm, nozzleMm: profile.nozzleMm } : null;
    } else if (parsed.kind === 'printer-status') {
      remote.printerOnline = payload.toString('utf8') === 'online';
    } else {
      remote.frame = { mime: 'image/jpeg', data: new Uint8Array(payload), at: Date.now() };
    }
    this.refresh(remote);
  }

  private refresh(remote: Remote): void {
    remote.driver.refresh();
    this.changes.emit({ type: 'status', status: remote.driver.status() });
  }

  private forget(key: string): void {
    const remote = this.remotes.get(key);
    if (!remote) return;
    this.remotes.delete(key);
    this.changes.emit({ type: 'removed', deviceId: remote.driver.deviceId });
  }
}
