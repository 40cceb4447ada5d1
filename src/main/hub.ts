import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import type { AppInfo } from '../shared/contract';
import { AppError } from '../shared/rpc/result';
import { DemoFleet } from '../../sim/demo/demo-fleet';
import { defaultDemoPlan } from '../../sim/demo/plan';
import type { RunningSimulator, SimulatorPlanEntry } from '../../sim/demo/simulator';
import { ConnectionRepo } from './connections/connection-repo';
import { ConnectionService } from './connections/connection-service';
import { EventHub } from './events/event-hub';
import type { Logger } from './log';
import { NotificationCenter } from './notifications/notification-center';
import { Fleet, type DriverFactory } from './printers/fleet';
import { driverFactories } from './printers/registry';
import { createRegistrar, type Handlers, type Registrar } from './rpc/registrar';
import { openDatabase } from './store/database';
import { SecretStore, type KeyProvider } from './store/secrets';
import { APP_VERSION } from './version';

export interface HubOptions {
  dataDir: string;
  keyProvider: KeyProvider;
  log: Logger;
  /** The demo fleet's simulators; tests pass smaller plans. */
  demoPlan?: () => SimulatorPlanEntry[];
  /** Driver factories per connection kind; defaults to every family Printdeck ships. */
  drivers?: Parameters<typeof createFleet>[0];
  eventTickMs?: number;
}

function createFleet(factories: Partial<Record<string, DriverFactory>>, events: EventHub, log: Logger): Fleet {
  return new Fleet(factories, events, log);
}

/**
 * The composition root: builds every service from configuration and implements the contract.
 * Both transports (Electron IPC and the headless WebSocket host) serve this one object.
 */
export class Hub {
  readonly events: EventHub;
  readonly registrar: Registrar;
  readonly notifications: NotificationCenter;
  readonly connections: ConnectionService;
  readonly fleet: Fleet;
  private readonly demo: DemoFleet;
  private readonly demoConnectionIds = new Map<string, string>();
  private readonly unsubscribeConnections: () => void;

  private constructor(
    private readonly db: DatabaseSync,
    private readonly secrets: SecretStore,
    private readonly options: HubOptions,
  ) {
    const log = options.log;
    this.events = new EventHub(options.eventTickMs === undefined ? {} : { tickMs: options.eventTickMs });
    this.notifications = new NotificationCenter(this.events);
    this.connections = new ConnectionService(new ConnectionRepo(db), secrets, this.events);
    this.fleet = createFleet(options.drivers ?? driverFactories(), this.events, log.child('fleet'));
    this.demo = new DemoFleet(path.join(options.dataDir, 'demo'));
    this.registrar = createRegistrar(this.handlers(), log.child('rpc'));
    this.unsubscribeConnections = this.connections.onChange(({ type, connection }) => {
      if (type === 'removed') void this.fleet.detach(connection.id);
      else void this.fleet.reattach(connection, this.connections.secretOf(connection.id));
    });
  }

  static async create(options: HubOptions): Promise<Hub> {
    const db = openDatabase({ dataDir: options.dataDir });
    try {
      const secrets = await SecretStore.open(db, options.keyProvider);
      const hub = new Hub(db, secrets, options);
      hub.removeStaleDemoConnections();
      for (const c of hub.connections.stored()) hub.fleet.attach(c, hub.connections.secretOf(c.id));
      return hub;
    } catch (err) {
      db.close();
      throw err;
    }
  }

  async close(): Promise<void> {
    this.unsubscribeConnections();
    await this.stopDemo();
    await this.fleet.stopAll();
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
      demoAvailable: true,
    };
  }

  async startDemo(): Promise<void> {
    const plan = (this.options.demoPlan ?? defaultDemoPlan)();
    const sims = await this.demo.start(plan);
    for (const sim of sims) this.registerDemoConnection(sim);
    this.events.emit('demo.changed', this.demoState());
  }

  async stopDemo(): Promise<void> {
    if (!this.demo.isRunning) return;
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

  private registerDemoConnection(sim: RunningSimulator): void {
    if (!sim.connection || this.demoConnectionIds.has(sim.id)) return;
    const { kind, name, address, options, secret } = sim.connection;
    const added = this.connections.add({ kind, name, address, options: { ...options, demoSimulator: sim.id }, secret, origin: 'demo' });
    this.demoConnectionIds.set(sim.id, added.id);
  }

  /** Demo connections point at ports of a previous run; they are re-created when the demo starts. */
  private removeStaleDemoConnections(): void {
    for (const c of this.connections.stored()) if (c.origin === 'demo') this.connections.remove(c.id);
  }

  private demoState() {
    return this.demo.state((sim) => this.demoConnectionIds.get(sim.id) ?? null);
  }

  private handlers(): Handlers {
    return {
      'app.info': (_req, ctx) => this.info(ctx.transport === 'websocket' ? 'websocket' : 'ipc'),
      'connections.list': () => this.connections.list(),
      'connections.add': (req) => this.connections.add(req),
      'connections.update': (req) => this.connections.update(req),
      'connections.remove': (req) => {
        this.connections.remove(req.id);
        return { done: true as const };
      },
      'devices.list': () => this.fleet.list(),
      'demo.start': async () => {
        await this.startDemo();
        return this.demoState();
      },
      'demo.stop': async () => {
        await this.stopDemo();
        return this.demoState();
      },
      'demo.state': () => this.demoState(),
      'demo.inject': async (req) => {
        if (!this.demo.get(req.simulatorId)) throw new AppError('NOT_FOUND', `No demo simulator ${req.simulatorId} is running.`);
        await this.demo.inject(req.simulatorId, req.fault);
        const state = this.demoState();
        this.events.emit('demo.changed', state);
        return state;
      },
      'notifications.list': () => this.notifications.list(),
    };
  }
}
