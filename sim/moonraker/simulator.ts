import type { DemoFault } from '../../src/shared/contract';
import type { RunningSimulator, SimulatorFactory } from '../demo/simulator';
import { injectServerFault } from '../faults/server-faults';
import { TcpFaultProxy } from '../faults/tcp-fault-proxy';
import { MoonrakerSim, type MoonrakerSimOptions } from './moonraker-sim';

export interface MoonrakerSimulatorOptions extends MoonrakerSimOptions {
  name: string;
  /** Registered as the connection's secret; omit for a trusted-client setup. */
  registerKey?: string;
}

export interface RunningMoonrakerSimulator extends RunningSimulator {
  readonly sim: MoonrakerSim;
  readonly proxy: TcpFaultProxy;
}

/**
 * A simulated Moonraker + Klipper behind a TCP fault proxy. Demo faults map onto what goes wrong
 * with a real one: restart (Moonraker restarts: sockets close, the port refuses for a while,
 * Klippy reconnects), drop (sockets end), delay (slow replies), garbage (broken frames), black
 * hole. Klippy's own faults (shutdown, startup error) are on `sim`.
 */
export async function startMoonrakerSimulator(id: string, options: MoonrakerSimulatorOptions): Promise<RunningMoonrakerSimulator> {
  const sim = new MoonrakerSim(options);
  const port = await sim.start();
  const proxy = new TcpFaultProxy({ target: { host: '127.0.0.1', port } });
  const proxyPort = await proxy.start();
  const address = `http://127.0.0.1:${proxyPort}`;
  return {
    id,
    kind: 'moonraker',
    name: options.name,
    address,
    sim,
    proxy,
    connection: {
      kind: 'moonraker',
      name: options.name,
      address,
      options: {},
      ...(options.registerKey === undefined ? {} : { secret: options.registerKey }),
    },
    faults: () => [...(sim.replyDelayMs > 0 ? [`slow replies ${sim.replyDelayMs} ms`] : []), ...proxy.active()],
    inject: (fault: DemoFault) =>
      injectServerFault(
        fault,
        { setDelay: (ms) => (sim.replyDelayMs = ms), dropSockets: () => sim.dropSockets(), garbage: () => sim.garbage(), restart: () => sim.restartMoonraker() },
        proxy,
      ),
    async stop() {
      await proxy.stop();
      await sim.stop();
    },
  };
}

export function moonrakerSimulator(options: MoonrakerSimulatorOptions): SimulatorFactory {
  return (ctx) => startMoonrakerSimulator(ctx.id, options);
}
