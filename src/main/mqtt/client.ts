import { connect, type IClientOptions, type IClientPublishOptions, type MqttClient } from 'mqtt';

/** What both ends (the publisher and a site) need to reach a broker. */
export interface BrokerAddress {
  /** mqtt://host:port or mqtts://host:port, without credentials. */
  url: string;
  username: string | null;
  password: string | null;
}

export interface ClientSpec extends BrokerAddress {
  clientId: string;
  will?: { topic: string; payload: string };
  /** Seconds; a crash is noticed by the broker within 1.5 × this. */
  keepaliveS?: number;
  reconnectPeriodMs?: number;
}

/**
 * An mqtt.js client set up the one way Printdeck uses it: MQTT 5, a clean session (everything is
 * republished on each connect, and no command queued while away is ever replayed), QoS 0 messages
 * dropped rather than queued while offline (stale telemetry), the Last Will retained, and our own
 * subscriptions on each 'connect' instead of mqtt.js's resubscribe.
 */
export function openClient(spec: ClientSpec): MqttClient {
  const options: IClientOptions = {
    clientId: spec.clientId,
    protocolVersion: 5,
    clean: true,
    keepalive: spec.keepaliveS ?? 30,
    reconnectPeriod: spec.reconnectPeriodMs ?? 5000,
    connectTimeout: 10_000,
    queueQoSZero: false,
    resubscribe: false,
    ...(spec.username !== null ? { username: spec.username } : {}),
    ...(spec.password !== null ? { password: spec.password } : {}),
    ...(spec.will ? { will: { topic: spec.will.topic, payload: Buffer.from(spec.will.payload), qos: 1, retain: true } } : {}),
  };
  const client = connect(spec.url, options);
  // Small messages answered one at a time (commands, upload chunks) must not wait for Nagle's algorithm.
  client.on('connect', () => (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true));
  return client;
}

/**
 * Publishes and waits for the broker's acknowledgement (QoS 1) or the hand-off (QoS 0), at most
 * `timeoutMs`: a v5 PUBACK with an error reason may never settle mqtt.js's promise.
 */
export function publishWithin(client: MqttClient, topic: string, payload: string | Buffer, options: IClientPublishOptions, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    client.publish(topic, payload, options, (err) => {
      clearTimeout(timer);
      resolve(!err);
    });
  });
}

/** Words for a broker error a person can act on. */
export function describeBrokerError(err: Error & { code?: unknown }): string {
  const code = typeof err.code === 'number' ? err.code : null;
  if (code === 4 || code === 5 || code === 134 || code === 135) return 'The broker refused the user name or password.';
  if ((err as NodeJS.ErrnoException).code === 'ECONNREFUSED') return 'Nothing answers at the broker address.';
  return err.message;
}

/** Splits `mqtt://user@host:port` into an address without credentials and the user name. */
export function splitBrokerUrl(raw: string): { url: string; username: string | null; password: string | null } | string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `"${raw}" is not a broker address. Expected mqtt://host:1883 or mqtts://host:8883.`;
  }
  if (url.protocol !== 'mqtt:' && url.protocol !== 'mqtts:') return `A broker address starts with mqtt:// or mqtts://, not ${url.protocol}//.`;
  if (!url.hostname) return 'The broker address has no host.';
  const username = url.username ? decodeURIComponent(url.username) : null;
  const password = url.password ? decodeURIComponent(url.password) : null;
  const port = url.port || (url.protocol === 'mqtts:' ? '8883' : '1883');
  return { url: `${url.protocol}//${url.hostname}:${port}`, username, password };
}

/**
 * Ends a client: gracefully (in-flight QoS 1 messages finish) for at most `timeoutMs`, then by
 * force. mqtt.js's graceful end can wait forever for a client that is between reconnects.
 */
export async function closeClient(client: MqttClient, timeoutMs = 2000): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const gaveUp = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const ended = await Promise.race([client.endAsync().then(() => 'ended' as const, () => 'ended' as const), gaveUp]);
  clearTimeout(timer);
  if (ended === 'timeout') await client.endAsync(true).catch(() => undefined);
}
