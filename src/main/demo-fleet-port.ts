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

/** Something that happened to a demo printer before today's run, for the notification centre. */
export interface DemoPastNotice {
  /** The simulator it is about (its printer), or null for the lab as a whole. */
  simulatorId: string | null;
  level: 'info' | 'success' | 'warning' | 'error';
  title: string;
  body: string;
  /** When it happened, ms since the epoch; always before the run started. */
  at: number;
  read: boolean;
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
  /**
   * What the lab went through over the past days (finished and failed prints, printers that went
   * offline), so a notification centre at scale has a history to read; empty for small demos.
   */
  pastNotices?(options: DemoStartRequest, now: number): DemoPastNotice[];
  /** Whether a simulator with this id is running. */
  has(id: string): boolean;
  inject(id: string, fault: DemoFault): Promise<void>;
  /** The contract's view of the fleet; `connectionIdOf` names the connection each simulator became. */
  state(connectionIdOf: (sim: DemoSimulator) => string | null): DemoState;
  /** Jobs to queue when the demo starts on an empty queue (none for a lab at scale). */
  queueSeed?(options: DemoStartRequest): DemoQueueJob[];
}
