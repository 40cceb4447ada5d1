import path from 'node:path';
import type { DemoFault } from '../../src/shared/contract';
import type { RunningSimulator, SimulatorFactory, SimulatorPlanEntry } from '../demo/simulator';
import { grpcSimulator } from '../demo/sandbox-health';
import { startDemoBot } from './demo-bot';
import { SkiserverSandbox } from './skiserver-sandbox';

/**
 * The sandbox Skiserver with a demo teammate. Demo faults: drop → every Communicate stream is cut;
 * garbage → duplicated and reordered delivery until cleared, and the answers to the next two group
 * membership changes lost (the changes stand); restart → the server goes down and comes
 * back on the same port with its offline queues intact; delay/blackhole → slow calls.
 */
export const skiserverSandbox: SimulatorFactory = async (ctx) => {
  const server = new SkiserverSandbox({ workDir: ctx.workDir });
  await server.start();
  const bot = await startDemoBot(server).catch(() => null);
  const base = grpcSimulator(ctx.id, 'skiserver', 'Sandbox Skiserver (team chat)', server, {
    kind: 'skiserver',
    name: 'Team chat (sandbox)',
    address: `grpc://${server.address}`,
    options: { demoOutbox: path.join(ctx.workDir, 'outbox.txt') },
  });
  const sim: RunningSimulator = {
    ...base,
    faults: () => [
      ...server.faults.describe(),
      ...(server.delivery.faults.duplicate ? ['duplicated delivery'] : []),
      ...(server.delivery.faults.reorder ? ['reordered delivery'] : []),
      ...((server.delivery.faults.lostGroupAnswers ?? 0) > 0 ? [`answers to ${server.delivery.faults.lostGroupAnswers} more group member changes lost`] : []),
    ],
    async inject(fault: DemoFault) {
      if (fault.type === 'drop') server.cutStreams();
      else if (fault.type === 'garbage') {
        server.delivery.faults.duplicate = true;
        server.delivery.faults.reorder = true;
        server.delivery.faults.lostGroupAnswers = 2;
      } else {
        if (fault.type === 'clear') {
          server.delivery.faults.duplicate = false;
          server.delivery.faults.reorder = false;
          server.delivery.faults.lostGroupAnswers = 0;
        }
        await base.inject(fault);
      }
    },
    async stop() {
      bot?.stop();
      await server.stop();
    },
  };
  return sim;
};

export function skiserverDemoPlan(): SimulatorPlanEntry[] {
  return [{ id: 'skiserver-1', factory: skiserverSandbox }];
}
