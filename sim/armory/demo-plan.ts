import type { SimulatorPlanEntry } from '../demo/simulator';
import { armorySimulator } from './armory-simulator';

/** The armory simulators of the built-in demo fleet: one account with several cloud printers. */
export function armoryDemoPlan(): SimulatorPlanEntry[] {
  return [{ id: 'armory-1', factory: armorySimulator() }];
}
