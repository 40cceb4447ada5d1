import type { SimulatorPlanEntry } from '../demo/simulator';

/** The xyz simulators of the built-in demo fleet. */
export function xyzDemoPlan(): SimulatorPlanEntry[] {
  return [];
}
