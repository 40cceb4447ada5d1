import { armoryDemoPlan } from '../armory/demo-plan';
import { imssDemoPlan } from '../imss/demo-plan';
import { marlinDemoPlan } from '../marlin/demo-plan';
import { octoprintDemoPlan } from '../octoprint/demo-plan';
import { skiserverDemoPlan } from '../skiserver/demo-plan';
import { xyzDemoPlan } from '../xyz/demo-plan';
import { sandboxHealthServer } from './sandbox-health';
import type { SimulatorPlanEntry } from './simulator';

/**
 * The built-in demo fleet. Each capability lists its simulators in sim/<name>/demo-plan.ts; the
 * real drivers and clients then talk to them over real sockets, exactly as to real printers.
 */
export function defaultDemoPlan(): SimulatorPlanEntry[] {
  const plan = [...xyzDemoPlan(), ...octoprintDemoPlan(), ...marlinDemoPlan(), ...armoryDemoPlan(), ...imssDemoPlan(), ...skiserverDemoPlan()];
  // Until the capability simulators are listed, the bare sandbox keeps the demo (and its faults) visible.
  return plan.length > 0 ? plan : [{ id: 'sandbox-1', factory: sandboxHealthServer }];
}
