import type { DiscoveredPrinter } from '../../../shared/contract';
import type { ConnectionService } from '../../connections/connection-service';
import type { EventHub } from '../../events/event-hub';
import type { Logger } from '../../log';
import { parseXyzAddress } from '../xyz/driver/address';
import { describeMarlinPort, printerBoardOf } from '../marlin/usb-boards';
import { findModelBySerial } from '../xyz/models';

/** What the OS says about a serial port (the fields of serialport's `SerialPort.list()`). */
export interface PortInfo {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
  pnpId?: string | undefined;
}

export type ListPorts = () => Promise<PortInfo[]>;

export const XYZ_USB_VENDOR_ID = '11f1';
const POLL_MS = 3_000;

/** Only XYZ's own ports: by USB vendor id, or by the name XYZ gives them. Other ports are never touched. */
export function isXyzPort(port: PortInfo): boolean {
  if (port.vendorId?.toLowerCase().replace(/^0x/, '') === XYZ_USB_VENDOR_ID) return true;
  return /\bXYZ/i.test(port.manufacturer ?? '') || /XYZ/i.test(port.pnpId ?? '');
}

/** Builds the offer for one port; the label says which printer it is, as far as the serial number tells. */
export function describePort(port: PortInfo, addedAddresses: ReadonlySet<string>): DiscoveredPrinter {
  const serial = port.serialNumber?.trim() || null;
  const model = serial ? (findModelBySerial(serial) ?? null) : null;
  const name = model ? model.name : 'da Vinci printer';
  const address = serial ? `usb://${serial}` : `serial://${port.path}`;
  return {
    id: serial ?? port.path,
    family: 'xyz',
    label: serial ? `${name} (${serial.slice(0, 6)}…)` : `${name} on ${port.path}`,
    address,
    portPath: port.path,
    serialNumber: serial,
    model: model?.modelNumber ?? null,
    added: addedAddresses.has(address) || addedAddresses.has(`serial://${port.path}`),
  };
}

/**
 * Notices da Vinci printers and Marlin boards plugged into this machine (serialport has no hot-plug events, so it
 * lists ports every few seconds) and offers them; clients hear of changes only when there are some.
 */
export class UsbDiscovery {
  private timer: NodeJS.Timeout | null = null;
  private current: DiscoveredPrinter[] = [];
  private lastKey = '';
  private failed = false;
  private stopped = false;
  private ports: PortInfo[] = [];
  private refreshQueued = false;

  constructor(
    private readonly listPorts: ListPorts,
    private readonly connections: ConnectionService,
    private readonly events: EventHub,
    private readonly log: Logger,
    private readonly pollMs = POLL_MS,
  ) {}

  start(): void {
    this.stopped = false;
    if (this.timer) return;
    void this.scan();
    this.timer = setInterval(() => void this.scan(), this.pollMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  list(): DiscoveredPrinter[] {
    return this.current;
  }

  /**
   * True when a da Vinci address names a serial port or USB printer this discovery offers now.
   * Network clients may only reach local ports through an offer: a raw `serial://` path could be
   * any terminal on the host.
   */
  offers(address: string): boolean {
    const target = localPortOf(address);
    if (!target) return false;
    return this.current.some((o) => (target.kind === 'serial' ? o.portPath === target.path : o.serialNumber === target.serialNumber));
  }

  /** Lists ports once and publishes what changed. */
  async scan(): Promise<void> {
    try {
      this.ports = (await this.listPorts()).filter((p) => isXyzPort(p) || printerBoardOf(p) !== null);
      this.failed = false;
    } catch (err) {
      if (!this.failed) this.log.warn('cannot list serial ports; USB printers will not be offered', err);
      this.failed = true;
      this.ports = [];
    }
    // The app may have shut down (and closed the database) while the OS was listing ports.
    if (!this.stopped) this.publish();
  }

  /**
   * Connections changed: re-mark which offers are added, from the ports already known. Listing
   * ports costs a process spawn on Linux, so a burst of changes (a demo fleet, an import) costs
   * one cheap recomputation per tick and no listing at all.
   */
  connectionsChanged(): void {
    if (this.refreshQueued) return;
    this.refreshQueued = true;
    setImmediate(() => {
      this.refreshQueued = false;
      if (!this.stopped) this.publish();
    });
  }

  private publish(): void {
    const added = new Set(this.connections.stored().filter((c) => c.kind === 'xyz' || c.kind === 'marlin').map((c) => c.address));
    this.current = this.ports.map((p) => (isXyzPort(p) ? describePort(p, added) : describeMarlinPort(p, added)));
    const key = JSON.stringify(this.current);
    if (key !== this.lastKey) {
      this.lastKey = key;
      this.events.emit('discovery.changed', { printers: this.current });
    }
  }
}

/** The local port a da Vinci address reaches (`serial://`, `usb://`), or null for network and bad addresses. */
export function localPortOf(address: string): { kind: 'serial'; path: string } | { kind: 'usb'; serialNumber: string } | null {
  try {
    const parsed = parseXyzAddress(address);
    return parsed.kind === 'tcp' ? null : parsed;
  } catch {
    return null;
  }
}

/** The real lister; loaded lazily so machines without the native binding still start. */
export const listSerialPorts: ListPorts = async () => {
  const { SerialPort } = await import('serialport');
  return SerialPort.list();
};
