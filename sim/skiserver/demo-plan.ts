import type { SimulatorPlanEntry } from '../demo/simulator';

/** The skiserver simulators of the built-in demo fleet. */
export function skiserverDemoPlan(): SimulatorPlanEntry[] {
  return [];
}
