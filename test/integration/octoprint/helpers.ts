import { createTestHub, type TestHub } from '../../support/test-hub';
import type { EventName, MethodName, PayloadOf, RequestOf, ResponseOf, DeviceStatus } from '../../../src/shared/contract';
import { unwrap } from '../../../src/shared/rpc/result';
import { singleDevice } from '../../../src/main/devices/fleet';
import { OctoPrintDriver, type OctoPrintDriverOptions } from '../../../src/main/printers/octoprint/octoprint-driver';
import { startOctoPrintSimulator, type OctoPrintSimulatorOptions, type RunningOctoPrintSimulator } from '../../../sim/octoprint/simulator';

export const KEY = 'TEST-OCTOPRINT-KEY-0001';

export interface OctoRig {
  t: TestHub;
  sim: RunningOctoPrintSimulator;
  connectionId: string;
  deviceId: string;
  call<M extends MethodName>(method: M, payload: RequestOf<M>, transport?: 'memory' | 'websocket'): Promise<ResponseOf<M>>;
  events<E extends EventName>(name: E): PayloadOf<E>[];
  status(): DeviceStatus;
  waitFor<T>(what: string, probe: () => T | null | undefined | false, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/** A real hub with one OctoPrint connection pointing at a simulator behind its fault proxy. */
export async function octoRig(
  options: Partial<OctoPrintSimulatorOptions> & {
    secret?: string | null;
    driver?: OctoPrintDriverOptions;
    /** The address the connection is given, from the simulator's (a wrong sub-path, https://). */
    address?: (simAddress: string) => string;
  } = {},
): Promise<OctoRig> {
  const { driver, address, ...simOptions } = options;
  const sim = await startOctoPrintSimulator('octo-test', { name: 'Test OctoPrint', apiKeys: [KEY], timeScale: 20, ...simOptions });
  // Driver options (short intervals) go to an OctoPrint family of the test's own.
  const t = await createTestHub(driver === undefined ? {} : { providers: { octoprint: singleDevice((ctx) => new OctoPrintDriver(ctx, driver)) } });
  const seen: { name: string; payload: unknown }[] = [];
  t.hub.events.addSink({ deliver: (batch) => seen.push(...batch.map((e) => ({ name: e.name, payload: e.payload }))) });
  const secret = options.secret === undefined ? KEY : options.secret;
  const connection = t.hub.connections.add({ kind: 'octoprint', name: 'Bench Mk3', address: address ? address(sim.address) : sim.address, options: {}, ...(secret === null ? {} : { secret }) });
  const deviceId = `octoprint:${connection.id}`;
  const waitFor = async <T>(what: string, probe: () => T | null | undefined | false, timeoutMs = 10_000): Promise<T> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value !== null && value !== undefined && value !== false) return value;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return {
    t,
    sim,
    connectionId: connection.id,
    deviceId,
    async call(method, payload, transport = 'memory') {
      return unwrap(await t.hub.registrar.dispatch(method, payload, { transport, clientId: 'test' })) as never;
    },
    events: (name) => seen.filter((e) => e.name === name).map((e) => e.payload) as never,
    status: () => t.hub.fleet.driver(deviceId).status(),
    waitFor,
    async close() {
      await t.close();
      await sim.stop();
    },
  };
}

export function gcode(commands: number): string {
  const lines = ['; test part', 'M104 S200', 'M140 S55', 'G28'];
  for (let i = 0; i < commands; i++) lines.push(`G1 X${i % 50} Y${(i * 3) % 50} Z${(0.2 * Math.floor(i / 20)).toFixed(2)} E${i * 0.01}`);
  return lines.join('\n') + '\n';
}
