import path from 'node:path';
import { armoryDemoPlan } from '../armory/demo-plan';
import { imssDemoPlan } from '../imss/demo-plan';
import { moonrakerDemoPlan } from '../moonraker/demo-plan';
import { marlinDemoPlan } from '../marlin/demo-plan';
import { octoprintDemoPlan } from '../octoprint/demo-plan';
import { skiserverDemoPlan } from '../skiserver/demo-plan';
import { xyzDemoPlan } from '../xyz/demo-plan';
import type { DemoPastNotice } from '../../src/main/demo-fleet-port';
import type { DemoStartRequest } from '../../src/shared/contract';
import { DemoFleet, type DemoFleetExtras } from './demo-fleet';
import { scaleDemoHistory } from './scale-history';
import { scaleDemoPlan } from './scale-plan';
import { sandboxHealthServer } from './sandbox-health';
import type { SimulatorPlanEntry } from './simulator';

/**
 * The built-in demo fleet. Each capability lists its simulators in sim/<name>/demo-plan.ts; the
 * real drivers and clients then talk to them over real sockets, exactly as to real printers.
 */
export function defaultDemoPlan(options: DemoStartRequest = {}): SimulatorPlanEntry[] {
  // A lab at scale: only printers, so a figure taken at N printers is about N printers.
  if (options.printers !== undefined) return scaleDemoPlan(options.printers, { allPrinting: options.allPrinting ?? false });
  const plan = [...xyzDemoPlan(), ...octoprintDemoPlan(), ...moonrakerDemoPlan(), ...marlinDemoPlan(), ...armoryDemoPlan(), ...imssDemoPlan(), ...skiserverDemoPlan()];
  // Until the capability simulators are listed, the bare sandbox keeps the demo (and its faults) visible.
  return plan.length > 0 ? plan : [{ id: 'sandbox-1', factory: sandboxHealthServer }];
}

/** The past days of the built-in demo: a lab at scale has a notification history, the small demo none. */
export function defaultDemoHistory(options: DemoStartRequest, now: number): DemoPastNotice[] {
  return options.printers === undefined ? [] : scaleDemoHistory(options.printers, now);
}

/**
 * The built-in demo fleet, working in `<dataDir>/demo`: what the entry points hand to the hub.
 * Its past is `defaultDemoHistory` unless told otherwise; `extras.queue` (the entry points pass
 * `defaultDemoQueue`) fills an empty print queue at start.
 */
export function defaultDemoFleet(
  dataDir: string,
  plan: (options: DemoStartRequest) => readonly SimulatorPlanEntry[] = defaultDemoPlan,
  extras: DemoFleetExtras = {},
): DemoFleet {
  return new DemoFleet(path.join(dataDir, 'demo'), plan, { history: defaultDemoHistory, ...extras });
}

export { defaultDemoQueue } from './demo-queue';
