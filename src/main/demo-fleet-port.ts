import type { ConnectionKind, ConnectionOptions, DemoFault, DemoStartRequest, DemoState } from '../shared/contract';

/** The connection a running simulator appears as in Printdeck. */
export interface DemoConnection {
  kind: ConnectionKind;
  name: string;
  address: string;
  options: ConnectionOptions;
  secret?: string;
}

/** One simulator of a running demo fleet, as the hub sees it. */
export interface DemoSimulator {
  readonly id: string;
  /** How it is registered as a connection; null for helpers that are not connections. */
  readonly connection: DemoConnection | null;
}

/** A job the demo puts in an empty queue, so a newcomer sees the queue feed the demo printers. */
export interface DemoQueueJob {
  fileName: string;
  /** The file's G-code. */
  gcode: string;
  /** One simulator's printer, the printers with a tag, or any printer that can print it. */
  target: { kind: 'simulator'; id: string } | { kind: 'tag'; tag: string } | { kind: 'any' };
  copies?: number;
  held?: boolean;
}

/**
 * The built-in demo fleet as the product sees it. The simulators live in `sim/`, which the product
 * never imports: the entry points (`cli/serve.ts`, `electron/app.ts`) compose a fleet and hand it
 * to the Hub, which registers each simulator as a connection.
 */
export interface DemoFleetPort {
  readonly isRunning: boolean;
  /** Starts the fleet's plan (simulators already running are kept); returns every running simulator. */
  start(options?: DemoStartRequest): Promise<DemoSimulator[]>;
  stop(): Promise<void>;
  /** Whether a simulator with this id is running. */
  has(id: string): boolean;
  inject(id: string, fault: DemoFault): Promise<void>;
  /** The contract's view of the fleet; `connectionIdOf` names the connection each simulator became. */
  state(connectionIdOf: (sim: DemoSimulator) => string | null): DemoState;
  /** Jobs to queue when the demo starts on an empty queue (none for a lab at scale). */
  queueSeed?(options: DemoStartRequest): DemoQueueJob[];
}
