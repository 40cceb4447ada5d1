import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { DemoFleetPort, DemoPastNotice, DemoQueueJob } from '../../src/main/demo-fleet-port';
import type { DemoFault, DemoStartRequest, DemoState } from '../../src/shared/contract';
import type { RunningSimulator, SimulatorPlanEntry } from './simulator';

/**
 * Starts a plan of simulators on loopback, keeps them, injects faults into them and stops them.
 * It knows nothing of Printdeck's services: the entry points hand it to the hub as its
 * `DemoFleetPort`, and the hub registers the resulting connections.
 */
/** What a demo brings beside its simulators: a past (notices) and a queue to feed its printers. */
export interface DemoFleetExtras {
  history?: (options: DemoStartRequest, now: number) => DemoPastNotice[];
  queue?: (options: DemoStartRequest) => DemoQueueJob[];
}

export class DemoFleet implements DemoFleetPort {
  private readonly running = new Map<string, RunningSimulator>();

  /**
   * `plan` is read afresh at every start; `extras.history` is the plan's past, if it has one;
   * `extras.queue` names the jobs the demo queues on an empty queue.
   */
  constructor(
    private readonly workDir: string,
    private readonly plan: (options: DemoStartRequest) => readonly SimulatorPlanEntry[],
    private readonly extras: DemoFleetExtras = {},
  ) {}

  pastNotices(options: DemoStartRequest, now: number): DemoPastNotice[] {
    return this.extras.history?.(options, now) ?? [];
  }

  queueSeed(options: DemoStartRequest): DemoQueueJob[] {
    return this.extras.queue?.(options) ?? [];
  }

  get isRunning(): boolean {
    return this.running.size > 0;
  }

  async start(options: DemoStartRequest = {}): Promise<RunningSimulator[]> {
    const started: RunningSimulator[] = [];
    try {
      for (const entry of this.plan(options)) {
        if (this.running.has(entry.id)) continue;
        const workDir = path.join(this.workDir, entry.id);
        mkdirSync(workDir, { recursive: true });
        const sim = await entry.factory({ id: entry.id, workDir });
        this.running.set(sim.id, sim);
        started.push(sim);
      }
    } catch (err) {
      await Promise.all(started.map((s) => this.stopOne(s.id)));
      throw err;
    }
    return [...this.running.values()];
  }

  list(): RunningSimulator[] {
    return [...this.running.values()];
  }

  has(id: string): boolean {
    return this.running.has(id);
  }

  async inject(id: string, fault: DemoFault): Promise<void> {
    const sim = this.running.get(id);
    if (!sim) throw new Error(`No simulator ${id} is running.`);
    await sim.inject(fault);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.running.keys()].map((id) => this.stopOne(id)));
  }

  state(connectionIdOf: (sim: RunningSimulator) => string | null): DemoState {
    return {
      running: this.isRunning,
      simulators: this.list().map((sim) => ({
        id: sim.id,
        kind: sim.kind,
        name: sim.name,
        address: sim.address,
        connectionId: connectionIdOf(sim),
        faults: sim.faults(),
      })),
    };
  }

  private async stopOne(id: string): Promise<void> {
    const sim = this.running.get(id);
    this.running.delete(id);
    await sim?.stop().catch(() => undefined);
  }
}
