import type { ConnectionKind, ConnectionOptions, DemoFault } from '../../src/shared/contract';

/** The connection a running simulator should appear as in Printdeck. */
export interface SimulatorConnection {
  kind: ConnectionKind;
  name: string;
  address: string;
  options: ConnectionOptions;
  secret?: string;
}

/** A simulator or sandbox server started by the demo fleet runner. */
export interface RunningSimulator {
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  /** Where clients reach it (through its fault proxy where it has one). */
  readonly address: string;
  /** How it is registered as a connection; null for helpers that are not connections. */
  readonly connection: SimulatorConnection | null;
  faults(): string[];
  inject(fault: DemoFault): Promise<void>;
  stop(): Promise<void>;
}

export interface SimulatorContext {
  /** Unique id within the fleet, e.g. `xyz-1`. */
  id: string;
  /** Folder where the simulator may keep state and outboxes. */
  workDir: string;
}

/** Starts one simulator; demo plans and tests are lists of these. */
export type SimulatorFactory = (ctx: SimulatorContext) => Promise<RunningSimulator>;

export interface SimulatorPlanEntry {
  id: string;
  factory: SimulatorFactory;
}
