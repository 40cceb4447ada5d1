import type { DemoFault } from '../../src/shared/contract';
import { SandboxGrpcServer } from '../grpc/sandbox-server';
import type { RunningSimulator, SimulatorFactory } from './simulator';

/**
 * A bare sandbox gRPC server (health service only). It is the skeleton the Armory, Skiserver and
 * IMSS sandboxes extend, and lets the demo and tests exercise gRPC faults before those exist.
 */
export const sandboxHealthServer: SimulatorFactory = async (ctx) => {
  const server = new SandboxGrpcServer({ name: 'printdeck-sandbox' });
  await server.start();
  return grpcSimulator(ctx.id, 'sandbox', 'Sandbox gRPC server', server, null);
};

/** Adapts a sandbox gRPC server to the simulator interface, mapping demo faults onto gRPC faults. */
export function grpcSimulator(
  id: string,
  kind: string,
  name: string,
  server: SandboxGrpcServer,
  connection: RunningSimulator['connection'],
): RunningSimulator {
  return {
    id,
    kind,
    name,
    address: `grpc://${server.address}`,
    connection,
    faults: () => server.faults.describe(),
    async inject(fault: DemoFault) {
      switch (fault.type) {
        case 'delay':
          server.faults.delayMs = fault.ms;
          break;
        case 'drop':
        case 'garbage':
          // A gRPC client sees a dropped or corrupted link as UNAVAILABLE; model it so.
          server.faults.unavailableBurst = 3;
          break;
        case 'restart':
          await server.restart(fault.downMs);
          break;
        case 'blackhole':
          server.faults.delayMs = fault.on ? 3_600_000 : 0;
          break;
        case 'clear':
          server.faults.clear();
          break;
      }
    },
    stop: () => server.stop(),
  };
}
