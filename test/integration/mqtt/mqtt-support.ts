import { connect, type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, vi } from 'vitest';
import type { MqttConfigure, MqttView } from '../../../src/shared/contract';
import type { Result } from '../../../src/shared/rpc/result';
import type { MqttModuleOptions, PublisherTuning } from '../../../src/main/mqtt/mqtt-module';
import { TestBroker } from '../../support/mosquitto';
import { ScriptedDriver, scriptedProvider } from '../../support/scripted-driver';
import { createTestHub, type TestHub } from '../../support/test-hub';

/** Fast enough for tests on a loaded machine; the behaviour is the product's. */
export const TUNING: PublisherTuning = { stateIntervalMs: 50, reconnectPeriodMs: 200, keepaliveS: 5, birthDelayMs: [10, 20] };

export interface HostUnderTest {
  th: TestHub;
  drivers: Map<string, ScriptedDriver>;
  /** Adds a scripted printer and returns its driver. */
  addPrinter(name: string): ScriptedDriver;
  /** Calls the contract as a client would. */
  call(method: string, payload: unknown): Promise<Result<unknown>>;
  hostUid(): Promise<string>;
  close(): Promise<void>;
}

export async function startHost(configure: MqttConfigure | null, more: Omit<MqttModuleOptions, 'configure' | 'tuning'> = {}): Promise<HostUnderTest> {
  const drivers = new Map<string, ScriptedDriver>();
  const th = await createTestHub({
    providers: { xyz: scriptedProvider(drivers) },
    mqtt: { ...(configure ? { configure } : {}), tuning: TUNING, siteReconnectMs: 200, ...more },
  });
  return {
    th,
    drivers,
    addPrinter(name) {
      th.hub.connections.add({ kind: 'xyz', name, address: 'tcp://127.0.0.1:9100', options: {} });
      const driver = drivers.get(name);
      if (!driver) throw new Error(`no driver for ${name}`);
      return driver;
    },
    call: (method, payload) => th.hub.registrar.dispatch(method, payload, { transport: 'memory', clientId: 'test' }),
    async hostUid() {
      const r = await th.hub.registrar.dispatch('mqtt.get', {}, { transport: 'memory', clientId: 'test' });
      if (!r.ok) throw new Error(r.error.message);
      return (r.value as MqttView).hostUid;
    },
    close: () => th.close(),
  };
}

/** A plain subscriber recording every message (topic, payload, retain flag as delivered). */
export class Watcher {
  readonly messages: { topic: string; payload: Buffer; retain: boolean }[] = [];
  constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => this.messages.push({ topic, payload, retain: packet.retain }));
  }

  static async open(url: string, filters: string[], options: { username?: string; password?: string } = {}): Promise<Watcher> {
    const client = connect(url, { protocolVersion: 5, reconnectPeriod: 200, ...options });
    const w = new Watcher(client);
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    await client.subscribeAsync(filters, { qos: 1 });
    return w;
  }

  last(topic: string): string | null {
    for (let i = this.messages.length - 1; i >= 0; i--) if (this.messages[i]!.topic === topic) return this.messages[i]!.payload.toString('utf8');
    return null;
  }

  lastJson<T = Record<string, unknown>>(topic: string): T | null {
    const text = this.last(topic);
    return text ? (JSON.parse(text) as T) : null;
  }

  all(topic: string): string[] {
    return this.messages.filter((m) => m.topic === topic).map((m) => m.payload.toString('utf8'));
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }
}

export function eventually<T>(fn: () => T, timeout = 15_000): Promise<T> {
  return vi.waitFor(fn, { timeout, interval: 25 });
}

/**
 * One private broker per test file, and whatever a test opens closed after it (newest first):
 * `const env = useBroker(); … env.track(await startHost(…))`, `env.broker.url`.
 */
export function useBroker(): {
  readonly broker: TestBroker;
  track<T extends { close(): Promise<void> }>(x: T): T;
  /** For what a test closed itself. */
  untrack(x: { close(): Promise<void> }): void;
} {
  let broker: TestBroker | undefined;
  const open: { close(): Promise<void> }[] = [];
  beforeAll(async () => {
    broker = await TestBroker.start();
  });
  afterEach(async () => {
    for (const x of open.splice(0).reverse()) await x.close();
  });
  afterAll(async () => {
    await broker?.close();
  });
  return {
    get broker() {
      if (!broker) throw new Error('the broker starts in beforeAll');
      return broker;
    },
    track: (x) => (open.push(x), x),
    untrack: (x) => {
      const at = open.indexOf(x);
      if (at >= 0) open.splice(at, 1);
    },
  };
}
