import type { DemoSimulator } from '../../src/main/demo-fleet-port';
import type { DemoFault } from '../../src/shared/contract';

/** A simulator or sandbox server started by the demo fleet runner; its `connection` is the product's type. */
export interface RunningSimulator extends DemoSimulator {
  readonly kind: string;
  readonly name: string;
  /** Where clients reach it (through its fault proxy where it has one). */
  readonly address: string;
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
