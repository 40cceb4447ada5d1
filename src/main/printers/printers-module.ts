import path from 'node:path';
import { printerCalls, type ConnectionKind } from '../../shared/contract';
import type { DomainContext, DomainModule } from '../domain';
import type { HandlersOf } from '../rpc/registrar';
import { listSerialPorts, UsbDiscovery, type ListPorts } from './discovery/usb-discovery';
import { checkPrintFile } from './compat/file-check';
import { printerFamilies, type DeviceFamilies } from './families';
import { DeviceTags } from './device-tags';
import { PrintWatcher } from './print-watcher';
import { TemperatureHistory } from './temperature-history';
import { registerXyzProfiles } from './xyz/profiles';

const ACK = { done: true as const };

/**
 * Printers as the contract sees them: the fleet's devices, printing, control, cameras, history.
 * Registers the printer families with the fleet (tests pass their own `families`).
 */
export function createPrintersModule(
  ctx: DomainContext,
  options: { listPorts?: ListPorts; families?: DeviceFamilies } = {},
): DomainModule<HandlersOf<typeof printerCalls>> & { offersPort(address: string): boolean } {
  for (const [kind, factory] of Object.entries(options.families ?? printerFamilies())) {
    if (factory) ctx.fleet.registerProvider(kind as ConnectionKind, factory);
  }
  const staging = ctx.staging;
  const discovery = new UsbDiscovery(options.listPorts ?? listSerialPorts, ctx.connections, ctx.events, ctx.log.child('discovery'));
  const unsubscribeConnections = ctx.connections.onChange(() => discovery.connectionsChanged());
  const history = new TemperatureHistory();
  const watcher = new PrintWatcher(ctx.notifications);
  const transfers = ctx.transfers;
  registerXyzProfiles(ctx.profiles);
  const unsubscribe = ctx.fleet.onChange((change) => {
    if (change.type === 'status') {
      history.record(change.status);
      watcher.observe(change.status);
    } else {
      history.forget(change.deviceId);
      watcher.forget(change.deviceId);
      transfers.forget(change.deviceId);
    }
  });
  const driver = (deviceId: string) => ctx.fleet.driver(deviceId);
  const tags = new DeviceTags(ctx.db);

  return {
    offersPort: (address) => discovery.offers(address),
    handlers: {
      'devices.list': () => ctx.fleet.list(),
      'devices.watch': (req, call) => ctx.events.watch(call.clientId, req.deviceIds),
      'devices.tags': () => ({ tags: tags.list() }),
      'devices.tag': (req) => {
        tags.change(req.deviceIds, req.add, req.remove);
        const list = tags.list();
        ctx.events.emit('devices.tagsChanged', { tags: list });
        return { tags: list };
      },
      'printers.print': async (req, call) => ({
        transferId: await transfers.start(req.deviceId, await ctx.picked.admitSource(req.file, call, 'file'), req.name, call.transport === 'websocket'),
      }),
      'printers.checkFile': async (req, call) => {
        const device = driver(req.deviceId).status();
        const source = await ctx.picked.admitSource(req.file, call, 'file');
        const file = source.kind === 'staged' ? staging.peek(source.stagedId) : { path: source.path, name: path.basename(source.path) };
        return checkPrintFile(file, req.name ?? file.name, device);
      },
      'printers.cancelTransfer': (req) => {
        transfers.cancel(req.deviceId);
        return ACK;
      },
      'printers.pause': async (req) => (await driver(req.deviceId).pause(), ACK),
      'printers.resume': async (req) => (await driver(req.deviceId).resume(), ACK),
      'printers.cancel': async (req) => (await driver(req.deviceId).cancel(), ACK),
      'printers.maintenance': async (req) => (await driver(req.deviceId).maintenance(req.action), ACK),
      'printers.snapshot': async (req) => {
        const frame = await driver(req.deviceId).captureSnapshot();
        return { mime: frame.mime, dataBase64: Buffer.from(frame.data).toString('base64'), at: frame.at };
      },
      'printers.temperatureHistory': (req) => {
        const own = driver(req.deviceId).temperatureHistory?.();
        return { samples: own && own.length > 0 ? own : history.samples(req.deviceId) };
      },
      'printers.transfers': () => transfers.list(),
      'discovery.list': () => discovery.list(),
      'files.stageBegin': (req, call) => staging.begin(req.name, req.size, call),
      'files.stageChunk': async (req) => ({ received: await staging.chunk(req.stagedId, req.offset, req.dataBase64) }),
      'files.stageFinish': (req) => staging.finish(req.stagedId),
      'files.stageCancel': async (req) => {
        await staging.cancel(req.stagedId);
        return ACK;
      },
    },
    start: () => discovery.start(),
    stop: () => {
      discovery.stop();
      unsubscribeConnections();
      unsubscribe();
    },
  };
}
