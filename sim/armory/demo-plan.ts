import type { SimulatorPlanEntry } from '../demo/simulator';

/** The armory simulators of the built-in demo fleet. */
export function armoryDemoPlan(): SimulatorPlanEntry[] {
  return [];
}
