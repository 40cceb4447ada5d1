import type { SimulatorPlanEntry } from '../demo/simulator';

/** The imss simulators of the built-in demo fleet. */
export function imssDemoPlan(): SimulatorPlanEntry[] {
  return [];
}
