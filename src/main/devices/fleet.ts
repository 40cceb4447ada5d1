import type { ConnectionKind } from '../../shared/contract';
import type { DeviceStatus } from '../../shared/domain/device';
import { diffStatus } from '../../shared/domain/device-delta';
import { AppError } from '../../shared/rpc/result';
import type { StoredConnection } from '../connections/connection-repo';
import type { EventHub } from '../events/event-hub';
import type { Logger } from '../log';
import type { PrinterDriver } from './driver';
import { LastKnownJobs } from './last-known-job';

/** What a driver or provider factory gets: its connection, the decrypted secret (main only) and a logger. */
export interface DriverContext {
  connection: StoredConnection;
  secret: string | null;
  log: Logger;
}

export type DeviceChange = { type: 'status'; status: DeviceStatus } | { type: 'removed'; deviceId: string };

/**
 * The devices one connection brings: one for a printer (da Vinci, OctoPrint), many for a cloud
 * account. Every device is a PrinterDriver, so the fleet and the UI treat them alike.
 */
export interface DeviceProvider {
  start(): void;
  stop(): Promise<void>;
  drivers(): PrinterDriver[];
  onChange(listener: (change: DeviceChange) => void): () => void;
}

export type ProviderFactory = (ctx: DriverContext) => DeviceProvider;
export type DriverFactory = (ctx: DriverContext) => PrinterDriver;

/** A provider for connections that are one printer. */
export function singleDevice(factory: DriverFactory): ProviderFactory {
  return (ctx) => {
    const driver = factory(ctx);
    return {
      start: () => driver.start(),
      stop: () => driver.stop(),
      drivers: () => [driver],
      onChange: (listener) => driver.onStatus((status) => listener({ type: 'status', status })),
    };
  };
}

type FleetListener = (change: DeviceChange) => void;

/**
 * Keeps one provider per device connection, in step with the connection list, and forwards every
 * status snapshot to fleet listeners and what changed in it to the event hub (which merges the
 * deltas per device each tick).
 *
 * Every device family registers the same way, from the domain that owns it, through
 * `registerProvider`: da Vinci and OctoPrint from the printers module, cloud printers from the
 * cloud module. Kinds without a provider (chat, image servers) bring no devices.
 */
export class Fleet {
  private readonly factories: Partial<Record<ConnectionKind, ProviderFactory>> = {};
  private readonly providers = new Map<string, { provider: DeviceProvider; unsubscribe: () => void }>();
  private readonly listeners = new Set<FleetListener>();
  private readonly lastJobs = new LastKnownJobs();
  /** What the event hub was last told of each device, to send only what changes. */
  private readonly sent = new Map<string, DeviceStatus>();

  constructor(
    private readonly events: EventHub,
    private readonly log: Logger,
  ) {}

  /** Lets a domain bring devices for its connection kind; call before connections are attached. */
  registerProvider(kind: ConnectionKind, factory: ProviderFactory): void {
    this.factories[kind] = factory;
  }

  handles(kind: ConnectionKind): boolean {
    return this.factories[kind] !== undefined;
  }

  attach(connection: StoredConnection, secret: string | null): void {
    const factory = this.factories[connection.kind];
    if (!factory || this.providers.has(connection.id)) return;
    let provider: DeviceProvider;
    try {
      provider = factory({ connection, secret, log: this.log.child(`${connection.kind}:${connection.name}`) });
    } catch (err) {
      this.log.error(`cannot create a driver for ${connection.name}`, err);
      return;
    }
    const unsubscribe = provider.onChange((change) => this.forward(change));
    this.providers.set(connection.id, { provider, unsubscribe });
    provider.start();
    for (const driver of provider.drivers()) this.forward({ type: 'status', status: driver.status() });
  }

  async detach(connectionId: string): Promise<void> {
    const entry = this.providers.get(connectionId);
    if (!entry) return;
    this.providers.delete(connectionId);
    const gone = entry.provider.drivers().map((d) => d.deviceId);
    entry.unsubscribe();
    await entry.provider.stop().catch((err: unknown) => this.log.warn(`stopping ${connectionId} failed`, err));
    for (const deviceId of gone) this.forward({ type: 'removed', deviceId });
  }

  /** The devices a connection brought, by id (none if it is not attached). */
  deviceIdsOf(connectionId: string): string[] {
    return this.providers.get(connectionId)?.provider.drivers().map((d) => d.deviceId) ?? [];
  }

  list(): DeviceStatus[] {
    return [...this.providers.values()].flatMap((e) => e.provider.drivers().map((d) => this.lastJobs.apply(d.status())));
  }

  driver(deviceId: string): PrinterDriver {
    for (const { provider } of this.providers.values()) {
      for (const driver of provider.drivers()) if (driver.deviceId === deviceId) return driver;
    }
    throw new AppError('NOT_FOUND', `No device ${deviceId}.`);
  }

  onChange(listener: FleetListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.providers.keys()].map((id) => this.detach(id)));
  }

  private forward(raw: DeviceChange): void {
    // A device out of reach keeps its last job on screen (stale) until it answers again.
    const change: DeviceChange = raw.type === 'status' ? { type: 'status', status: this.lastJobs.apply(raw.status) } : raw;
    if (change.type === 'status') {
      const delta = diffStatus(this.sent.get(change.status.deviceId), change.status);
      this.sent.set(change.status.deviceId, change.status);
      if (delta) this.events.emit('devices.delta', delta);
    } else {
      this.lastJobs.forget(change.deviceId);
      this.sent.delete(change.deviceId);
      this.events.emit('devices.removed', { deviceId: change.deviceId });
    }
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (err) {
        this.log.error('fleet listener failed', err);
      }
    }
  }
}
