import type { DemoFault } from '../../src/shared/contract';
import type { RunningSimulator, SimulatorFactory } from '../demo/simulator';
import { injectServerFault } from '../faults/server-faults';
import { TcpFaultProxy } from '../faults/tcp-fault-proxy';
import { OctoPrintSim, type OctoPrintSimOptions } from './octoprint-sim';

export interface OctoPrintSimulatorOptions extends OctoPrintSimOptions {
  name: string;
  /** Registered as the connection's secret so the demo works without pairing; omit to show pairing. */
  registerKey?: string;
}

export interface RunningOctoPrintSimulator extends RunningSimulator {
  readonly sim: OctoPrintSim;
  readonly proxy: TcpFaultProxy;
}

/**
 * A simulated OctoPrint behind a TCP fault proxy. Demo faults map onto what goes wrong with a
 * real OctoPrint: restart (sessions go stale, sockets end, the port refuses for a while),
 * drop (push sockets end), delay (slow REST), garbage (broken push frames), black hole.
 */
export async function startOctoPrintSimulator(id: string, options: OctoPrintSimulatorOptions): Promise<RunningOctoPrintSimulator> {
  const sim = new OctoPrintSim(options);
  const port = await sim.start();
  const proxy = new TcpFaultProxy({ target: { host: '127.0.0.1', port } });
  const proxyPort = await proxy.start();
  const address = `http://127.0.0.1:${proxyPort}`;
  const faults: string[] = [];
  return {
    id,
    kind: 'octoprint',
    name: options.name,
    address,
    sim,
    proxy,
    connection: {
      kind: 'octoprint',
      name: options.name,
      address,
      options: {},
      ...(options.registerKey === undefined ? {} : { secret: options.registerKey }),
    },
    faults: () => [...(sim.restDelayMs > 0 ? [`slow REST ${sim.restDelayMs} ms`] : []), ...proxy.active(), ...faults],
    inject: (fault: DemoFault) =>
      injectServerFault(
        fault,
        { setDelay: (ms) => (sim.restDelayMs = ms), dropSockets: () => sim.dropSockets(), garbage: () => sim.garbage(), restart: () => sim.restart() },
        proxy,
      ),
    async stop() {
      await proxy.stop();
      await sim.stop();
    },
  };
}

export function octoprintSimulator(options: OctoPrintSimulatorOptions): SimulatorFactory {
  return (ctx) => startOctoPrintSimulator(ctx.id, options);
}
