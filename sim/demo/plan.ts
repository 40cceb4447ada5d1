import type { SimulatorPlanEntry } from './simulator';
import { sandboxHealthServer } from './sandbox-health';

/**
 * The built-in demo fleet. Each capability adds its simulators here; the real drivers and
 * clients then talk to them over real sockets, exactly as they would to real printers.
 */
export function defaultDemoPlan(): SimulatorPlanEntry[] {
  return [{ id: 'sandbox-1', factory: sandboxHealthServer }];
}
