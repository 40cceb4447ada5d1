import type { DeviceStatus } from '../../shared/domain/device';
import type { ConnectionKind } from '../../shared/contract';
import { AppError } from '../../shared/rpc/result';
import type { StoredConnection } from '../connections/connection-repo';
import type { EventHub } from '../events/event-hub';
import type { Logger } from '../log';
import type { PrinterDriver } from './driver';

/** What a driver factory gets: its connection, the decrypted secret (main only) and a logger. */
export interface DriverContext {
  connection: StoredConnection;
  secret: string | null;
  log: Logger;
}

export type DriverFactory = (ctx: DriverContext) => PrinterDriver;

/**
 * Keeps one driver per printer connection, in step with the connection list, and forwards
 * every status snapshot to the event hub (which coalesces them per device).
 */
export class Fleet {
  private readonly drivers = new Map<string, { driver: PrinterDriver; unsubscribe: () => void }>();

  constructor(
    private readonly factories: Partial<Record<ConnectionKind, DriverFactory>>,
    private readonly events: EventHub,
    private readonly log: Logger,
  ) {}

  handles(kind: ConnectionKind): boolean {
    return this.factories[kind] !== undefined;
  }

  attach(connection: StoredConnection, secret: string | null): void {
    const factory = this.factories[connection.kind];
    if (!factory) return;
    const driver = factory({ connection, secret, log: this.log.child(connection.kind) });
    const unsubscribe = driver.onStatus((status) => this.events.emit('devices.status', status));
    this.drivers.set(connection.id, { driver, unsubscribe });
    driver.start();
    this.events.emit('devices.status', driver.status());
  }

  async detach(connectionId: string): Promise<void> {
    const entry = this.drivers.get(connectionId);
    if (!entry) return;
    this.drivers.delete(connectionId);
    entry.unsubscribe();
    await entry.driver.stop().catch((err: unknown) => this.log.warn(`stopping driver ${connectionId} failed`, err));
    this.events.emit('devices.removed', { deviceId: entry.driver.deviceId });
  }

  async reattach(connection: StoredConnection, secret: string | null): Promise<void> {
    await this.detach(connection.id);
    this.attach(connection, secret);
  }

  list(): DeviceStatus[] {
    return [...this.drivers.values()].map((e) => e.driver.status());
  }

  driver(deviceId: string): PrinterDriver {
    for (const { driver } of this.drivers.values()) if (driver.deviceId === deviceId) return driver;
    throw new AppError('NOT_FOUND', `No device ${deviceId}.`);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.drivers.keys()].map((id) => this.detach(id)));
  }
}
