import type { DemoFault } from '../../src/shared/contract';
import { grpcSimulator } from '../demo/sandbox-health';
import type { RunningSimulator, SimulatorFactory, SimulatorPlanEntry } from '../demo/simulator';
import { ImssSandbox } from './imss-sandbox';

/** The demo's IMSS server: a sandbox on loopback, registered as an `imss` connection with a bearer token. */
export const imssSandboxSimulator: SimulatorFactory = async (ctx) => {
  const token = `demo-imss-${ctx.id}-token`;
  const server = new ImssSandbox({ workDir: ctx.workDir, name: 'imss-sandbox', token });
  await server.start();
  return imssSimulator(ctx.id, server, {
    kind: 'imss',
    name: 'Demo image server',
    address: `grpc://${server.address}`,
    options: {},
    secret: token,
  });
};

/** Adapts an IMSS sandbox to the simulator interface; data-path faults join the generic gRPC ones. */
export function imssSimulator(id: string, server: ImssSandbox, connection: RunningSimulator['connection']): RunningSimulator {
  const base = grpcSimulator(id, 'imss', 'IMSS sandbox', server, connection);
  return {
    ...base,
    faults: () => server.describeFaults(),
    async inject(fault: DemoFault) {
      switch (fault.type) {
        case 'drop':
          // A flaky link: the next upload streams break after 64 KiB and a few calls fail.
          server.imssFaults.cutStreams(64 * 1024, 3);
          server.faults.unavailableBurst = 3;
          return;
        case 'delay':
          server.faults.delayMs = fault.ms;
          server.imssFaults.bytesPerSecond = fault.ms > 0 ? 256 * 1024 : 0;
          return;
        case 'clear':
          server.imssFaults.clear();
          return base.inject(fault);
        default:
          return base.inject(fault);
      }
    },
  };
}

/** The imss simulators of the built-in demo fleet. */
export function imssDemoPlan(): SimulatorPlanEntry[] {
  return [{ id: 'imss-1', factory: imssSandboxSimulator }];
}
