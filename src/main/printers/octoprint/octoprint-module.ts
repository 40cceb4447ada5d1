import { octoprintCalls, type PairingUpdate } from '../../../shared/contract';
import { AppError } from '../../../shared/rpc/result';
import type { DomainContext, DomainModule } from '../../domain';
import type { HandlersOf } from '../../rpc/registrar';
import { LogBatcher } from './log-batcher';
import { OctoPrintApi } from './octoprint-api';
import { OctoPrintDriver } from './octoprint-driver';
import { PairingRunner } from './pairing-runner';
import { normalisePastedKey } from './protocol';
import { toFileList } from './server-files';
import { ServerUploads } from './server-uploads';

const ACK = { done: true as const };
/** The name people see in OctoPrint's Application Keys list. */
const APP_NAME = 'Printdeck';

/** OctoPrint-specific calls: pairing, terminal, server files, jog and targets, the printer link. */
export function createOctoprintModule(ctx: DomainContext): DomainModule<HandlersOf<typeof octoprintCalls>> {
  const log = ctx.log;
  const pairings = new Map<string, PairingRunner>();
  const batcher = new LogBatcher((batch) => ctx.events.emit('octoprint.logs', batch));
  const uploads = new ServerUploads(ctx.events, ctx.staging, log.child('uploads'));
  const hooked = new Map<string, () => void>();

  // Terminal lines and file-list changes come from the drivers; hook each one once.
  const unsubscribeFleet = ctx.fleet.onChange((change) => {
    if (change.type === 'removed') {
      hooked.get(change.deviceId)?.();
      hooked.delete(change.deviceId);
      batcher.forget(change.deviceId);
      uploads.forget(change.deviceId);
      return;
    }
    if (change.status.family !== 'octoprint' || hooked.has(change.status.deviceId)) return;
    const driver = findDriver(change.status.deviceId);
    if (!driver) return;
    const offLogs = driver.onLogs((lines) => batcher.add(driver.deviceId, lines));
    const offFiles = driver.onFilesChanged(() => ctx.events.emit('octoprint.filesChanged', { deviceId: driver.deviceId }));
    hooked.set(driver.deviceId, () => {
      offLogs();
      offFiles();
    });
  });

  function findDriver(deviceId: string): OctoPrintDriver | null {
    try {
      const driver = ctx.fleet.driver(deviceId);
      return driver instanceof OctoPrintDriver ? driver : null;
    } catch {
      return null;
    }
  }

  function octoprint(deviceId: string): OctoPrintDriver {
    const driver = findDriver(deviceId);
    if (!driver) throw new AppError('NOT_FOUND', `No OctoPrint device ${deviceId}.`);
    return driver;
  }

  function octoprintConnection(connectionId: string) {
    const connection = ctx.connections.get(connectionId);
    if (connection.kind !== 'octoprint') throw new AppError('BAD_REQUEST', `${connection.name} is not an OctoPrint connection.`, 'connectionId');
    return connection;
  }

  /** Checks a key against the server, then stores it as the connection's secret (the fleet reattaches). */
  async function verifyAndStore(connectionId: string, address: string, apiKey: string): Promise<void> {
    await new OctoPrintApi(address, apiKey).version();
    ctx.connections.update({ id: connectionId, secret: apiKey });
    log.info(`stored a new API key for OctoPrint connection ${connectionId}`);
  }

  function emitPairing(update: PairingUpdate): void {
    ctx.events.emit('octoprint.pairing', update);
  }

  return {
    handlers: {
      'octoprint.pairStart': async (req) => {
        const connection = octoprintConnection(req.connectionId);
        pairings.get(connection.id)?.cancel();
        const runner = new PairingRunner(connection.id, connection.address, (update, state) => {
          if (state.phase !== 'paired') {
            emitPairing(update);
            if (update.phase !== 'awaitingDecision') pairings.delete(connection.id);
            return;
          }
          pairings.delete(connection.id);
          verifyAndStore(connection.id, connection.address, state.apiKey).then(
            () => emitPairing(update),
            (err: unknown) =>
              emitPairing({ ...update, phase: 'failed', message: `OctoPrint issued a key but it does not work: ${err instanceof Error ? err.message : String(err)}` }),
          );
        });
        pairings.set(connection.id, runner);
        return runner.start(APP_NAME, req.user);
      },
      'octoprint.pairCancel': (req) => {
        pairings.get(req.connectionId)?.cancel();
        pairings.delete(req.connectionId);
        return ACK;
      },
      'octoprint.pairPasteKey': async (req) => {
        const connection = octoprintConnection(req.connectionId);
        const apiKey = normalisePastedKey(req.apiKey);
        if (apiKey === null) throw new AppError('BAD_REQUEST', 'That does not look like an API key (8–256 characters, no spaces).', 'apiKey');
        try {
          await verifyAndStore(connection.id, connection.address, apiKey);
        } catch (err) {
          if (err instanceof AppError && err.code === 'AUTH_REQUIRED') {
            throw new AppError('AUTH_REQUIRED', 'OctoPrint does not accept this key. Copy it again from OctoPrint → User Settings → API Key.', 'apiKey');
          }
          throw err;
        }
        pairings.get(connection.id)?.cancel();
        pairings.delete(connection.id);
        const update: PairingUpdate = { connectionId: connection.id, phase: 'paired', authDialogUrl: null, message: 'Key checked and saved.' };
        emitPairing(update);
        return update;
      },
      'octoprint.details': (req) => octoprint(req.deviceId).details(),
      'octoprint.connect': async (req) => (await octoprint(req.deviceId).connectPrinter(req.port, req.baudrate), ACK),
      'octoprint.disconnect': async (req) => (await octoprint(req.deviceId).disconnectPrinter(), ACK),
      'octoprint.terminalSend': async (req) => (await octoprint(req.deviceId).sendGcode(req.lines), ACK),
      'octoprint.terminalBacklog': (req) => ({ lines: octoprint(req.deviceId).terminalBacklog().slice(-500) }),
      'octoprint.jog': async (req) => {
        const axes = { ...(req.x === undefined ? {} : { x: req.x }), ...(req.y === undefined ? {} : { y: req.y }), ...(req.z === undefined ? {} : { z: req.z }) };
        await octoprint(req.deviceId).jog(axes, req.speed);
        return ACK;
      },
      'octoprint.home': async (req) => (await octoprint(req.deviceId).home(req.axes), ACK),
      'octoprint.setTargets': async (req) => (await octoprint(req.deviceId).setTargets(req.tools ?? {}, req.bed), ACK),
      'octoprint.setOffsets': async (req) => (await octoprint(req.deviceId).setOffsets(req.tools ?? {}, req.bed), ACK),
      'octoprint.files': async (req) => {
        const { list, busy } = await octoprint(req.deviceId).listFiles();
        return toFileList(list, busy);
      },
      'octoprint.upload': async (req, call) => ({
        uploadId: await uploads.start(octoprint(req.deviceId), await ctx.picked.admitSource(req.file, call, 'file'), req, call.transport === 'websocket'),
      }),
      'octoprint.cancelUpload': (req) => {
        uploads.cancel(req.deviceId);
        return ACK;
      },
      'octoprint.fileSelect': async (req) => (await octoprint(req.deviceId).selectFile(req.path, req.print), ACK),
      'octoprint.fileDelete': async (req) => (await octoprint(req.deviceId).deleteFile(req.path), ACK),
    },
    stop: () => {
      unsubscribeFleet();
      for (const runner of pairings.values()) runner.cancel();
      pairings.clear();
      for (const off of hooked.values()) off();
      hooked.clear();
      batcher.dispose();
      uploads.dispose();
    },
  };
}
