import { credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckResponse_ServingStatus, HealthServiceClient, type GetVersionResponse } from '../../../src/main/gen/printdeck/health/v1/health';
import { SandboxGrpcServer } from '../../../sim/grpc/sandbox-server';

function getVersion(client: HealthServiceClient): Promise<GetVersionResponse> {
  return new Promise((resolve, reject) =>
    client.getVersion({}, new Metadata(), { deadline: Date.now() + 3000 }, (err, res) => (err ? reject(err) : resolve(res))),
  );
}

describe('sandbox gRPC server skeleton', () => {
  const servers: SandboxGrpcServer[] = [];
  const clients: HealthServiceClient[] = [];
  afterEach(async () => {
    clients.splice(0).forEach((c) => c.close());
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  async function start() {
    const server = new SandboxGrpcServer({ name: 'test-sandbox', version: '9.9.9' });
    await server.start();
    servers.push(server);
    const client = new HealthServiceClient(server.address, credentials.createInsecure());
    clients.push(client);
    return { server, client };
  }

  it('serves the health service with generated stubs over real gRPC', async () => {
    const { client } = await start();
    const v = await getVersion(client);
    expect(v).toMatchObject({ serverName: 'test-sandbox', version: '9.9.9', services: ['printdeck.health.v1.HealthService'] });
    const check = await new Promise((resolve, reject) => client.check({ service: '' }, (e, r) => (e ? reject(e) : resolve(r))));
    expect(check).toEqual({ status: CheckResponse_ServingStatus.SERVING_STATUS_SERVING });
  });

  it('injects UNAVAILABLE bursts, then recovers', async () => {
    const { server, client } = await start();
    server.faults.unavailableBurst = 2;
    for (let i = 0; i < 2; i++) {
      await expect(getVersion(client)).rejects.toMatchObject({ code: status.UNAVAILABLE } satisfies Partial<ServiceError>);
    }
    await expect(getVersion(client)).resolves.toMatchObject({ serverName: 'test-sandbox' });
  });

  it('slows calls down so deadlines fire', async () => {
    const { server, client } = await start();
    server.faults.delayMs = 500;
    const slow = new Promise((resolve, reject) =>
      client.getVersion({}, new Metadata(), { deadline: Date.now() + 100 }, (err, res) => (err ? reject(err) : resolve(res))),
    );
    await expect(slow).rejects.toMatchObject({ code: status.DEADLINE_EXCEEDED });
  });

  it('restarts on the same port with a new start time', async () => {
    const { server, client } = await start();
    const first = await getVersion(client);
    const port = server.port;
    await new Promise((r) => setTimeout(r, 5));
    await server.restart(100);
    expect(server.port).toBe(port);
    const second = await getVersion(client);
    expect(Number(second.startedAtMs)).toBeGreaterThan(Number(first.startedAtMs));
  });
});
