import { z } from 'zod';
import { Empty } from './app';
import { call, event } from './define';

/** Faults the demo fleet can be told to inject, so error paths can be walked and tested. */
export const DemoFault = z.discriminatedUnion('type', [
  z.object({ type: z.literal('delay'), ms: z.number().int().min(0).max(60_000) }),
  z.object({ type: z.literal('drop') }),
  z.object({ type: z.literal('garbage'), bytes: z.number().int().min(1).max(65_536).default(64) }),
  z.object({ type: z.literal('restart'), downMs: z.number().int().min(0).max(60_000).default(1000) }),
  z.object({ type: z.literal('blackhole'), on: z.boolean() }),
  z.object({ type: z.literal('clear') }),
]);
export type DemoFault = z.infer<typeof DemoFault>;

export const DemoSimulator = z.object({
  id: z.string().max(64),
  kind: z.string().max(32),
  name: z.string().max(120),
  address: z.string().max(2048),
  connectionId: z.string().max(64).nullable(),
  faults: z.array(z.string().max(200)).max(16),
});
export type DemoSimulator = z.infer<typeof DemoSimulator>;

/** The most printers a demo fleet at scale may have (`serve --demo --demo-printers N`). */
export const MAX_DEMO_PRINTERS = 1000;

export const DemoState = z.object({
  running: z.boolean(),
  // A fleet at scale plus the built-in servers.
  simulators: z.array(DemoSimulator).max(MAX_DEMO_PRINTERS + 64),
});
export type DemoState = z.infer<typeof DemoState>;

/**
 * Without `printers`, the built-in demo (a few printers of every family and the cloud, chat and
 * upload servers); with it, a lab of that many simulated printers across the families.
 * `allPrinting` (with `printers`) puts every printer of the lab to work, the benchmark's worst case.
 * Simulators already running are kept: stop the demo first to change its size.
 */
export const DemoStartRequest = z
  .object({ printers: z.number().int().min(1).max(MAX_DEMO_PRINTERS).optional(), allPrinting: z.boolean().optional() })
  .strict()
  .refine((r) => !r.allPrinting || r.printers !== undefined, { message: 'allPrinting needs printers (a lab at scale)', path: ['allPrinting'] });
export type DemoStartRequest = z.infer<typeof DemoStartRequest>;

export const demoCalls = {
  'demo.start': call(DemoStartRequest, DemoState, { timeoutMs: 300_000 }),
  'demo.stop': call(Empty, DemoState, { timeoutMs: 60_000 }),
  'demo.state': call(Empty, DemoState),
  'demo.inject': call(z.object({ simulatorId: z.string().min(1).max(64), fault: DemoFault }).strict(), DemoState, { timeoutMs: 60_000 }),
};

export const demoEvents = {
  'demo.changed': event(DemoState),
};
