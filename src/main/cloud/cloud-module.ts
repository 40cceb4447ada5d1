import { cloudCalls } from '../../shared/contract';
import { AppError } from '../../shared/rpc/result';
import { ConnectionRuntimes } from '../connections/connection-runtimes';
import type { DomainContext, DomainModule } from '../domain';
import type { HandlersOf } from '../rpc/registrar';
import { applyDomainMigrations } from '../store/migrations';
import { CloudAccountRuntime, type CloudAccountOptions } from './cloud-account';
import { CLOUD_MIGRATIONS } from './migrations';
import { nextCursor, toCloudMessage, toCloudTask, toUpdates } from './mapping';
import { isUsableDevId } from './printer-status';

const CAMERA_SDK =
  'Remote viewing goes through the vendor’s proprietary peer-to-peer SDK, which Printdeck does not include, so the picture cannot be shown here.';

/** The Armory cloud account: sign-in, cloud printers, history, messages, updates. */
export function createCloudModule(ctx: DomainContext): DomainModule<HandlersOf<typeof cloudCalls>> {
  return createCloudModuleWith(ctx, {});
}

/** The same, with client and polling options (tests and benchmarks). */
export function createCloudModuleWith(ctx: DomainContext, options: CloudAccountOptions): DomainModule<HandlersOf<typeof cloudCalls>> {
  applyDomainMigrations(ctx.db, 'cloud', CLOUD_MIGRATIONS);
  const accounts = new ConnectionRuntimes<CloudAccountRuntime>(
    ctx.connections,
    {
      kinds: ['armory'],
      create: (connection) => {
        const runtime = new CloudAccountRuntime(connection, ctx, options);
        runtime.publish(true);
        return runtime;
      },
      // A rename or a new account name keeps the session; another server is another account.
      keep: (next, previous) => next.address === previous.address,
      update: (runtime, connection) => runtime.updateConnection(connection),
      dispose: (runtime, _, why) => {
        if (why === 'removed') runtime.inbox.forget();
        runtime.dispose();
      },
    },
    ctx.log,
  );

  const account = (connectionId: string): CloudAccountRuntime => {
    const connection = ctx.connections.get(connectionId);
    const runtime = accounts.ensure(connectionId);
    if (!runtime) throw new AppError('NOT_FOUND', `Connection ${connection.name} is not a cloud account.`);
    return runtime;
  };

  ctx.fleet.registerProvider('armory', (driverCtx) => account(driverCtx.connection.id).printers.provider());

  return {
    handlers: {
      'cloud.accounts': () =>
        ctx.connections
          .stored()
          .filter((c) => c.kind === 'armory')
          .map((c) => account(c.id).status()),

      'cloud.signIn': async (req) => {
        const runtime = account(req.connectionId);
        const password = req.password ?? ctx.connections.secretOf(req.connectionId);
        if (!password) throw new AppError('BAD_REQUEST', 'Enter the password of the cloud account.', 'password');
        await runtime.session.signIn(req.account, password);
        const connection = runtime.connection;
        if (connection.options.account !== req.account) {
          ctx.connections.update({ id: connection.id, options: { ...connection.options, account: req.account } });
        }
        runtime.publish();
        return runtime.status();
      },

      'cloud.submitCode': async (req) => {
        const runtime = account(req.connectionId);
        try {
          await runtime.session.submitCode(req.code);
        } finally {
          runtime.publish();
        }
        return runtime.status();
      },

      'cloud.signOut': (req) => {
        const runtime = account(req.connectionId);
        runtime.session.signOut();
        runtime.publish();
        return runtime.status();
      },

      'cloud.refresh': async (req) => {
        const runtime = account(req.connectionId);
        if (runtime.session.state !== 'signed-in') throw new AppError('AUTH_REQUIRED', 'Sign in to the cloud account first.');
        await runtime.printers.refresh();
        await runtime.inbox.poll();
        runtime.publish();
        return runtime.status();
      },

      'cloud.history': async (req) => {
        const runtime = account(req.connectionId);
        const res = await runtime.session.authed((t) =>
          runtime.api.listMyTasks(t, { deviceId: req.devId ?? '', after: req.after ?? '', limit: req.limit }),
        );
        const hits = res.hits.slice(0, req.limit);
        return {
          total: Math.max(0, res.total),
          tasks: hits.map((t) => toCloudTask(t, runtime.taskContext)),
          nextCursor: nextCursor(
            hits.map((t) => t.id),
            req.limit,
            req.after,
          ),
        };
      },

      'cloud.messages': async (req) => {
        const runtime = account(req.connectionId);
        const res = await runtime.session.authed((t) => runtime.api.listMyMessages(t, { type: 0, after: req.after ?? '', limit: req.limit }));
        const hits = res.hits.slice(0, req.limit);
        return {
          messages: hits.map((m) => toCloudMessage(m, runtime.taskContext)),
          nextCursor: nextCursor(
            hits.map((m) => m.id),
            req.limit,
            req.after,
          ),
        };
      },

      'cloud.cover': async (req) => ({ dataUrl: await account(req.connectionId).covers.get(req.coverId) }),

      'cloud.updates': async (req) => {
        const runtime = account(req.connectionId);
        const res = await runtime.session.authed((t) => runtime.api.getSlicerResources(t, ''));
        return { updates: toUpdates(res) };
      },

      'cloud.camera': async (req) => {
        const runtime = account(req.connectionId);
        if (!isUsableDevId(req.devId)) throw new AppError('BAD_REQUEST', 'That is not a printer serial number.', 'devId');
        const res = await runtime.session.authed((t) => runtime.api.getTtCode(t, req.devId));
        if (!res.ttcode) {
          return { available: false, explanation: 'The cloud offers no remote camera for this printer right now (it may be offline or have no camera).' };
        }
        // The P2P credentials are kept, encrypted, for a future viewer; they never leave main.
        ctx.secrets.set(
          `connection:${req.connectionId}:camera:${req.devId}`,
          JSON.stringify({ ttcode: res.ttcode, passwd: res.passwd, authkey: res.authkey }),
        );
        return { available: true, explanation: `This printer has a remote camera. ${CAMERA_SDK}` };
      },
    },
    start: () => accounts.start(),
    stop: () => accounts.close(),
  };
}
