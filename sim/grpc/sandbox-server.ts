import { Server, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import {
  CheckResponse_ServingStatus,
  HealthServiceService,
  type HealthServiceServer,
} from '../../src/main/gen/printdeck/health/v1/health';
import { GrpcFaults } from './grpc-faults';

export interface SandboxServerOptions {
  name: string;
  version?: string;
}

/**
 * The skeleton every sandbox gRPC server (Armory, Skiserver, IMSS) builds on: a real grpc-js
 * server on loopback carrying the health service plus the services added to it, with faults
 * (slow calls, UNAVAILABLE bursts) and a restart that keeps the port.
 */
export class SandboxGrpcServer {
  readonly faults = new GrpcFaults();
  private readonly services: { definition: ServiceDefinition; impl: UntypedServiceImplementation; name: string }[] = [];
  private server: Server | null = null;
  private boundPort = 0;
  private startedAt = Date.now();
  private serving = false;

  constructor(private readonly options: SandboxServerOptions) {
    this.addService('printdeck.health.v1.HealthService', HealthServiceService, this.healthImpl());
  }

  get port(): number {
    return this.boundPort;
  }

  get address(): string {
    return `127.0.0.1:${this.boundPort}`;
  }

  addService(name: string, definition: ServiceDefinition, impl: UntypedServiceImplementation): void {
    if (this.server) throw new Error('add services before start()');
    this.services.push({ name, definition, impl });
  }

  async start(port = 0): Promise<number> {
    const server = new Server({ 'grpc.max_receive_message_length': 8 * 1024 * 1024 });
    for (const s of this.services) server.addService(s.definition, this.faults.wrap(s.definition, s.impl));
    this.boundPort = await new Promise<number>((resolve, reject) => {
      server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (err, bound) =>
        err ? reject(err) : resolve(bound),
      );
    });
    this.server = server;
    this.startedAt = Date.now();
    this.serving = true;
    return this.boundPort;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.serving = false;
    if (!server) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, 500);
      server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
  }

  /** Kills every call at once (like a crashed process) and serves again on the same port after `downMs`. */
  async restart(downMs: number): Promise<void> {
    const server = this.server;
    this.server = null;
    this.serving = false;
    server?.forceShutdown();
    await new Promise((r) => setTimeout(r, downMs));
    await this.start(this.boundPort);
  }

  private healthImpl(): HealthServiceServer {
    return {
      getVersion: (_call, callback) => {
        callback(null, {
          serverName: this.options.name,
          version: this.options.version ?? '0.1.0',
          services: this.services.map((s) => s.name),
          startedAtMs: String(this.startedAt),
        });
      },
      check: (call, callback) => {
        const known = call.request.service === '' || this.services.some((s) => s.name === call.request.service);
        callback(null, {
          status:
            known && this.serving
              ? CheckResponse_ServingStatus.SERVING_STATUS_SERVING
              : CheckResponse_ServingStatus.SERVING_STATUS_NOT_SERVING,
        });
      },
    };
  }
}
