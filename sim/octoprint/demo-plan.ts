import type { SimulatorPlanEntry } from '../demo/simulator';

/** The octoprint simulators of the built-in demo fleet. */
export function octoprintDemoPlan(): SimulatorPlanEntry[] {
  return [];
}
