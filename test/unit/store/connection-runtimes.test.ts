import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionRepo, type StoredConnection } from '../../../src/main/connections/connection-repo';
import { ConnectionRuntimes, type RuntimeEnd } from '../../../src/main/connections/connection-runtimes';
import { ConnectionService } from '../../../src/main/connections/connection-service';
import { EventHub } from '../../../src/main/events/event-hub';
import { createLogger } from '../../../src/main/log';
import { openDatabase } from '../../../src/main/store/database';
import { KeyFileProvider } from '../../../src/main/store/key-file';
import { SecretStore } from '../../../src/main/store/secrets';
import { tempDir } from '../../support/test-hub';

const quiet = createLogger('t', () => {});
const closers: (() => void)[] = [];

afterEach(() => {
  for (const close of closers.splice(0)) close();
});

async function service() {
  const dir = tempDir();
  const db = openDatabase({ dataDir: dir });
  const secrets = await SecretStore.open(db, new KeyFileProvider(dir, quiet));
  const events = new EventHub();
  const connections = new ConnectionService(new ConnectionRepo(db), secrets, events);
  closers.push(() => {
    connections.close();
    events.dispose();
    db.close();
  });
  return { connections, secrets };
}

const imss = (address = 'grpc://127.0.0.1:7000') => ({ kind: 'imss' as const, name: 'Images', address, options: {} });

/** A runtime that records its life. */
class Probe {
  ended: RuntimeEnd | null = null;
  constructor(readonly connection: StoredConnection) {}
}

describe('ConnectionRuntimes', () => {
  it('creates a runtime with the connection, replaces it on an edit and disposes it on removal', async () => {
    const { connections } = await service();
    const runtimes = new ConnectionRuntimes<Probe>(connections, { kinds: ['imss'], create: (c) => new Probe(c), dispose: (p, _, why) => void (p.ended = why) }, quiet);
    const added = connections.add(imss());
    connections.add({ kind: 'octoprint', name: 'Other', address: 'http://127.0.0.1:5000', options: {} });
    const first = runtimes.get(added.id);
    expect(first?.connection.address).toBe('grpc://127.0.0.1:7000');
    expect(runtimes.list()).toHaveLength(1);

    connections.update({ id: added.id, address: 'grpc://127.0.0.1:7001' });
    const second = runtimes.get(added.id);
    expect(first?.ended).toBe('replaced');
    expect(second?.connection.address).toBe('grpc://127.0.0.1:7001');

    connections.remove(added.id);
    expect(second?.ended).toBe('removed');
    expect(runtimes.get(added.id)).toBeUndefined();
    expect(runtimes.ensure(added.id)).toBeUndefined();
    await runtimes.close();
  });

  it('keeps a runtime through an edit the domain can take in place', async () => {
    const { connections } = await service();
    const updates: string[] = [];
    const runtimes = new ConnectionRuntimes<Probe>(
      connections,
      {
        kinds: ['imss'],
        create: (c) => new Probe(c),
        dispose: (p, _, why) => void (p.ended = why),
        keep: (next, previous) => next.address === previous.address,
        update: (_, c) => updates.push(c.name),
      },
      quiet,
    );
    const added = connections.add(imss());
    const first = runtimes.get(added.id);
    connections.update({ id: added.id, name: 'Renamed' });
    expect(runtimes.get(added.id)).toBe(first);
    expect(first?.ended).toBeNull();
    expect(updates).toEqual(['Renamed']);
    await runtimes.close();
    expect(first?.ended).toBe('closed');
  });

  it('starts runtimes for connections configured before it, and creates one on first use before that', async () => {
    const { connections } = await service();
    const early = connections.add(imss());
    const later = connections.add(imss('grpc://127.0.0.1:7002'));
    const runtimes = new ConnectionRuntimes<Probe>(connections, { kinds: ['imss'], create: (c) => new Probe(c), dispose: () => {} }, quiet);
    expect(runtimes.get(early.id)).toBeUndefined();
    expect(runtimes.ensure(early.id)?.connection.id).toBe(early.id);
    runtimes.start();
    expect(runtimes.list().map((e) => e.connection.id)).toEqual([early.id, later.id]);
    await runtimes.close();
  });

  it('makes a replacement wait until the old runtime is gone, and creates none after a removal', async () => {
    const { connections } = await service();
    const log: string[] = [];
    const releases: (() => void)[] = [];
    const runtimes = new ConnectionRuntimes<Probe>(
      connections,
      {
        kinds: ['imss'],
        create: (c) => (log.push(`create ${c.address}`), new Probe(c)),
        dispose: (p) =>
          new Promise<void>((resolve) => {
            log.push(`dispose ${p.connection.address}`);
            releases.push(() => {
              log.push(`disposed ${p.connection.address}`);
              resolve();
            });
          }),
      },
      quiet,
    );
    const a = connections.add(imss('grpc://127.0.0.1:7000'));
    connections.update({ id: a.id, address: 'grpc://127.0.0.1:7001' });
    connections.update({ id: a.id, address: 'grpc://127.0.0.1:7002' });
    expect(runtimes.get(a.id)).toBeUndefined();
    releases.shift()?.();
    await expect.poll(() => runtimes.get(a.id)?.connection.address).toBe('grpc://127.0.0.1:7002');
    expect(log).toEqual(['create grpc://127.0.0.1:7000', 'dispose grpc://127.0.0.1:7000', 'disposed grpc://127.0.0.1:7000', 'create grpc://127.0.0.1:7002']);

    const b = connections.add(imss('grpc://127.0.0.1:7100'));
    connections.update({ id: b.id, address: 'grpc://127.0.0.1:7101' });
    connections.remove(b.id);
    releases.shift()?.();
    const closing = runtimes.close();
    releases.shift()?.();
    await closing;
    expect(log.filter((l) => l.startsWith('create'))).toEqual(['create grpc://127.0.0.1:7000', 'create grpc://127.0.0.1:7002', 'create grpc://127.0.0.1:7100']);
    expect(log.at(-1)).toBe('disposed grpc://127.0.0.1:7002');
  });

  it('logs a runtime that cannot be created instead of failing the connection change', async () => {
    const { connections } = await service();
    const lines: string[] = [];
    const runtimes = new ConnectionRuntimes<Probe>(
      connections,
      {
        kinds: ['imss'],
        create: () => {
          throw new Error('no such server');
        },
        dispose: () => {},
      },
      createLogger('t', (l) => lines.push(l)),
    );
    const added = connections.add(imss());
    expect(connections.get(added.id).name).toBe('Images');
    expect(lines.join('\n')).toMatch(/cannot start Images[\s\S]*no such server/);
    expect(() => runtimes.ensure(added.id)).toThrow('no such server');
    await runtimes.close();
  });
});

describe('ConnectionService.remove', () => {
  it("deletes the connection's own secret and every secret kept under it, and no other connection's", async () => {
    const { connections, secrets } = await service();
    const gone = connections.add({ ...imss(), secret: 'token-1' });
    const kept = connections.add({ ...imss(), secret: 'token-2' });
    secrets.set(`connection:${gone.id}:tokens`, 'refresh');
    secrets.set(`connection:${gone.id}:chat-store-key`, 'key');
    secrets.set(`connection:${kept.id}:tokens`, 'other refresh');
    connections.remove(gone.id);
    expect([...secrets.idsWithPrefix(`connection:${gone.id}`)]).toEqual([]);
    expect(secrets.get(`connection:${kept.id}`)).toBe('token-2');
    expect(secrets.get(`connection:${kept.id}:tokens`)).toBe('other refresh');
  });
});
