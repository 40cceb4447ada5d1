import type { DatabaseSync } from 'node:sqlite';
import { secretProblem, type AppInfo, type ConnectionKind, type DemoFault, type DemoStartRequest, type DemoState, type NotificationQuery } from '../shared/contract';
import { AppError } from '../shared/rpc/result';
import { createChatModule } from './chat/chat-module';
import { createJobsModule, type SeedJob } from './jobs/jobs-module';
import { createCloudModule } from './cloud/cloud-module';
import { ConnectionRepo } from './connections/connection-repo';
import { ConnectionRuntimes } from './connections/connection-runtimes';
import { ConnectionService } from './connections/connection-service';
import type { DemoFleetPort, DemoSimulator } from './demo-fleet-port';
import { Fleet, type ProviderFactory } from './devices/fleet';
import { PrintProfiles } from './devices/print-profiles';
import { TransferService } from './devices/transfers';
import type { DomainContext, DomainModule } from './domain';
import { EventHub } from './events/event-hub';
import { PickedFiles } from './files/picked-files';
import { FileStaging } from './files/staging';
import type { Logger } from './log';
import { createMqttModule, type MqttModuleOptions } from './mqtt/mqtt-module';
import { NotificationCenter, type PastNotification } from './notifications/notification-center';
import { createOctoprintModule } from './printers/octoprint/octoprint-module';
import type { ListPorts } from './printers/discovery/usb-discovery';
import { createPrintersModule } from './printers/printers-module';
import { localPortOf } from './printers/discovery/usb-discovery';
import { createRegistrar, type CallContext, type Handlers, type Registrar } from './rpc/registrar';
import { openDatabase } from './store/database';
import { SecretStore, type KeyProvider } from './store/secrets';
import { createUploadsModule } from './uploads/uploads-module';
import { APP_VERSION } from './version';

export interface HubOptions {
  dataDir: string;
  keyProvider: KeyProvider;
  log: Logger;
  /**
   * The demo fleet, composed by the entry point (the simulators live in sim/, which the product
   * does not import). Without one, `app.info` says no demo is available and `demo.start` refuses.
   */
  demo?: DemoFleetPort;
  /** Printer families per connection kind; defaults to every family Printdeck ships (tests pass their own). */
  providers?: Partial<Record<ConnectionKind, ProviderFactory>>;
  eventTickMs?: number;
  /** How often clients hear about devices they do not watch (tests shorten it). */
  eventSummaryMs?: number;
  /** Lists serial ports for USB discovery; tests pass their own. */
  listPorts?: ListPorts;
  /** MQTT publishing given on the command line, and tuning for tests and the bench. */
  mqtt?: MqttModuleOptions;
}

const ACK = { done: true as const };

/**
 * The composition root: builds every service and domain from configuration and implements the
 * contract. Both transports (Electron IPC and the headless WebSocket host) serve this one object.
 */
export class Hub {
  readonly events: EventHub;
  readonly registrar: Registrar;
  readonly notifications: NotificationCenter;
  readonly connections: ConnectionService;
  readonly fleet: Fleet;
  /** Reads the printers' own histories now (tests; otherwise on connect and every few minutes). */
  readonly importHistory: () => Promise<void>;
  private readonly seedQueue: (jobs: readonly SeedJob[]) => Promise<number>;
  private readonly demoLog: Logger;
  /** Paths the desktop preload registered for dropped and picked files (see src/main/electron/ipc.ts). */
  readonly picked = new PickedFiles();
  private readonly modules: DomainModule<unknown>[];
  /** Stopped first on close, so this host says "offline" before its printers are detached (not "removed"). */
  private readonly mqtt: ReturnType<typeof createMqttModule>;
  private readonly demo: DemoFleetPort | null;
  private readonly staging: FileStaging;
  private readonly demoConnectionIds = new Map<string, string>();
  /** The fleet's providers follow the connections of every kind it has a family for. */
  private readonly deviceConnections: ConnectionRuntimes<void>;
  private readonly offersPort: (address: string) => boolean;

  private constructor(
    private readonly db: DatabaseSync,
    private readonly secrets: SecretStore,
    options: HubOptions,
  ) {
    const log = options.log;
    this.events = new EventHub({
      ...(options.eventTickMs === undefined ? {} : { tickMs: options.eventTickMs }),
      ...(options.eventSummaryMs === undefined ? {} : { summaryMs: options.eventSummaryMs }),
    });
    this.notifications = new NotificationCenter(this.events, db);
    this.connections = new ConnectionService(new ConnectionRepo(db), secrets, this.events);
    this.fleet = new Fleet(this.events, log.child('fleet'));
    this.demo = options.demo ?? null;
    this.demoLog = log.child('demo');
    this.staging = new FileStaging(options.dataDir);

    const ctx: DomainContext = {
      db,
      dataDir: options.dataDir,
      events: this.events,
      notifications: this.notifications,
      connections: this.connections,
      secrets,
      fleet: this.fleet,
      transfers: new TransferService(this.fleet, this.staging, this.events, this.notifications, log.child('transfers')),
      profiles: new PrintProfiles(),
      staging: this.staging,
      picked: this.picked,
      log,
    };
    const printers = createPrintersModule(
      { ...ctx, log: log.child('printers') },
      { ...(options.listPorts ? { listPorts: options.listPorts } : {}), ...(options.providers ? { families: options.providers } : {}) },
    );
    const octoprint = createOctoprintModule({ ...ctx, log: log.child('octoprint') });
    const cloud = createCloudModule({ ...ctx, log: log.child('cloud') });
    const chat = createChatModule({ ...ctx, log: log.child('chat') });
    const uploads = createUploadsModule({ ...ctx, log: log.child('uploads') });
    const jobs = createJobsModule({ ...ctx, log: log.child('jobs') });
    this.importHistory = () => jobs.importer.importNow();
    this.seedQueue = (seed) => jobs.seedQueue(seed);
    // MQTT's print-job command starts queue jobs: the hub composes the two domains.
    this.mqtt = createMqttModule({ ...ctx, log: log.child('mqtt') }, { ...options.mqtt, queue: jobs.starter });
    this.modules = [printers, octoprint, cloud, chat, uploads, this.mqtt, jobs];
    this.offersPort = printers.offersPort;
    const handlers: Handlers = {
      ...this.coreHandlers(),
      ...printers.handlers,
      ...octoprint.handlers,
      ...cloud.handlers,
      ...chat.handlers,
      ...uploads.handlers,
      ...this.mqtt.handlers,
      ...jobs.handlers,
    };
    this.registrar = createRegistrar(handlers, log.child('rpc'));
    this.deviceConnections = new ConnectionRuntimes(
      this.connections,
      {
        kinds: (kind) => this.fleet.handles(kind),
        create: (connection) => this.fleet.attach(connection, this.connections.secretOf(connection.id)),
        dispose: (_, connection) => this.fleet.detach(connection.id),
      },
      log.child('fleet'),
    );
  }

  static async create(options: HubOptions): Promise<Hub> {
    const db = openDatabase({ dataDir: options.dataDir, warn: (m) => options.log.warn(m) });
    let hub: Hub | null = null;
    try {
      const secrets = await SecretStore.open(db, options.keyProvider);
      hub = new Hub(db, secrets, options);
      hub.removeStaleDemoConnections();
      for (const m of hub.modules) await m.start?.();
      hub.deviceConnections.start();
      return hub;
    } catch (err) {
      if (hub) await hub.close().catch(() => undefined);
      else db.close();
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.mqtt.stop?.();
    await this.deviceConnections.close();
    await this.stopDemo();
    await this.fleet.stopAll();
    for (const m of [...this.modules].reverse()) await m.stop?.();
    this.connections.close();
    this.staging.dispose();
    this.events.flush();
    this.events.dispose();
    this.db.close();
  }

  info(transport: AppInfo['transport']): AppInfo {
    return {
      name: 'Printdeck',
      version: APP_VERSION,
      transport,
      platform: process.platform,
      secrets: this.secrets.backend,
      demoAvailable: this.demo !== null,
    };
  }

  async startDemo(options: DemoStartRequest = {}): Promise<void> {
    if (!this.demo) throw new AppError('UNSUPPORTED', 'This Printdeck was started without the demo fleet.');
    const startedAt = Date.now();
    const sims = await this.demo.start(options);
    for (const sim of sims) this.registerDemoConnection(sim);
    this.rememberDemoPast(options, startedAt);
    this.events.emit('demo.changed', this.demoState());
    await this.seedDemoQueue(options);
  }

  /** The demo's jobs go into an empty queue, aimed at the demo printers they name; a failure costs only the seed. */
  private async seedDemoQueue(options: DemoStartRequest): Promise<void> {
    const seed = this.demo?.queueSeed?.(options) ?? [];
    if (seed.length === 0) return;
    const jobs: SeedJob[] = [];
    for (const job of seed) {
      let target: SeedJob['target'];
      if (job.target.kind === 'simulator') {
        const connectionId = this.demoConnectionIds.get(job.target.id);
        const device = this.fleet.list().find((d) => d.connectionId === connectionId);
        if (!device) continue;
        target = { kind: 'printer', deviceId: device.deviceId };
      } else target = job.target;
      jobs.push({ fileName: job.fileName, gcode: job.gcode, target, copies: job.copies ?? 1, held: job.held ?? false });
    }
    try {
      const added = await this.seedQueue(jobs);
      if (added > 0) this.demoLog.info(`${added} jobs queued for the demo printers`);
    } catch (err) {
      this.demoLog.warn('could not queue the demo jobs', err);
    }
  }

  /**
   * A demo lab's past days go into the notification centre as if they had been lived here, once:
   * a data folder with notices older than an hour keeps its own history (an earlier run's or real).
   */
  private rememberDemoPast(options: DemoStartRequest, startedAt: number): void {
    if (!this.demo?.pastNotices || this.notifications.hasAnyBefore(startedAt - 60 * 60 * 1000)) return;
    const past = this.demo.pastNotices(options, startedAt).flatMap(({ simulatorId, ...notice }): PastNotification[] => {
      if (simulatorId === null) return [{ ...notice, route: null }];
      const connectionId = this.demoConnectionIds.get(simulatorId);
      const deviceId = connectionId === undefined ? undefined : this.fleet.deviceIdsOf(connectionId)[0];
      // A notice about a printer this run does not have would lead nowhere.
      return deviceId === undefined ? [] : [{ ...notice, route: `devices/${deviceId}` }];
    });
    this.notifications.remember(past);
  }

  async stopDemo(): Promise<void> {
    if (!this.demo?.isRunning) return;
    for (const id of this.demoConnectionIds.values()) {
      try {
        this.connections.remove(id);
      } catch {
        // Already removed by the user.
      }
    }
    this.demoConnectionIds.clear();
    await this.demo.stop();
    this.events.emit('demo.changed', this.demoState());
  }

  private registerDemoConnection(sim: DemoSimulator): void {
    if (!sim.connection || this.demoConnectionIds.has(sim.id)) return;
    const { kind, name, address, options, secret } = sim.connection;
    const added = this.connections.add({ kind, name, address, options: { ...options, demoSimulator: sim.id }, secret, origin: 'demo' });
    this.demoConnectionIds.set(sim.id, added.id);
  }

  /** Demo connections point at ports of a previous run; they are re-created when the demo starts. */
  private removeStaleDemoConnections(): void {
    for (const c of this.connections.stored()) if (c.origin === 'demo') this.connections.remove(c.id);
  }

  /**
   * Over the network, a da Vinci connection may reach a local serial port only if discovery
   * offers it (a da Vinci is plugged in there); otherwise a browser could make the host write
   * printer queries to any terminal. The desktop window and in-process callers name ports freely.
   */
  private refuseUnofferedPort(kind: ConnectionKind, address: string, call: CallContext): void {
    if (call.transport !== 'websocket' || kind !== 'xyz' || !localPortOf(address) || this.offersPort(address)) return;
    throw new AppError('FORBIDDEN', 'Over the network, add a USB printer from the printers Printdeck found (discovery), not by naming a port.', 'address');
  }

  private demoState(): DemoState {
    return this.demo?.state((sim) => this.demoConnectionIds.get(sim.id) ?? null) ?? { running: false, simulators: [] };
  }

  private coreHandlers() {
    return {
      'app.info': (_req: unknown, call: { transport: string }) => this.info(call.transport === 'websocket' ? 'websocket' : 'ipc'),
      'notifications.list': (req: NotificationQuery) => this.notifications.list(req),
      'notifications.unread': () => ({ unread: this.notifications.unread() }),
      'notifications.markRead': (req: { ids: string[] } | { all: true }) => ({ unread: this.notifications.markRead(req) }),
      'connections.list': () => this.connections.list(),
      'connections.add': (req: Parameters<ConnectionService['add']>[0], call: CallContext) => {
        this.refuseUnofferedPort(req.kind, req.address, call);
        return this.connections.add(req);
      },
      'connections.update': (req: Parameters<ConnectionService['update']>[0], call: CallContext) => {
        const secretRefused = secretProblem(this.connections.get(req.id).kind, req.secret);
        if (secretRefused) throw new AppError('BAD_REQUEST', secretRefused, 'secret');
        if (req.address !== undefined) {
          const current = this.connections.get(req.id);
          if (req.address !== current.address) this.refuseUnofferedPort(current.kind, req.address, call);
        }
        return this.connections.update(req);
      },
      'connections.remove': (req: { id: string }) => {
        this.connections.remove(req.id);
        return ACK;
      },
      'demo.start': async (req: DemoStartRequest) => {
        await this.startDemo(req);
        return this.demoState();
      },
      'demo.stop': async () => {
        await this.stopDemo();
        return this.demoState();
      },
      'demo.state': () => this.demoState(),
      'demo.inject': async (req: { simulatorId: string; fault: DemoFault }) => {
        if (!this.demo?.has(req.simulatorId)) throw new AppError('NOT_FOUND', `No demo simulator ${req.simulatorId} is running.`);
        await this.demo.inject(req.simulatorId, req.fault);
        const state = this.demoState();
        this.events.emit('demo.changed', state);
        return state;
      },
    } satisfies Partial<Handlers>;
  }
}
