import { findModel, findModelBySerial, type XyzModel } from '../models';
import type { XyzStatus } from '../protocol';
import {
  findPortBySerialNumber,
  SerialTransport,
  TcpTransport,
  XyzTransportError,
  type SerialPortLister,
  type TcpTarget,
  type XyzByteTransport,
} from '../transport';
import { describeAddress, type XyzAddress } from './address';
import { XyzNoAnswerError, type XyzBackend } from './backend';
import { JsonBackend } from './json-backend';
import { V2Backend } from './v2-backend';
import { V2_TIMEOUTS, type V2Timeouts } from './v2-line';
import { V3Backend, type V3Timeouts } from './v3-backend';
import { XyzV3Session } from './v3-session';

export interface ConnectDeps {
  listPorts?: SerialPortLister;
  openSerial?: (path: string) => XyzByteTransport;
  openTcp?: (target: TcpTarget) => XyzByteTransport;
}

export interface ConnectOptions {
  /**
   * `auto` tries XYZv3 first, then the 1.1 Plus JSON protocol (TCP) or XYZ_@3D (USB); on USB a configured v2 model (1.0 / 1.1 Plus / 2.0 families) is asked in XYZ_@3D first.
   * `v2` asks XYZ_@3D only.
   */
  protocol: 'auto' | 'v3' | 'v2' | 'json';
  model: XyzModel | undefined;
  v3Timeouts: V3Timeouts;
  /** Default: the spec's (`V2_TIMEOUTS`). */
  v2Timeouts?: V2Timeouts;
}

export interface Connected {
  backend: XyzBackend;
  status: XyzStatus;
}

/** The first command after a long idle may time out on a sleeping printer: try once more. */
async function firstStatus(backend: XyzBackend): Promise<XyzStatus> {
  try {
    return await backend.status();
  } catch (err) {
    if (err instanceof XyzNoAnswerError) return backend.status();
    throw err;
  }
}

async function v3Over(transport: XyzByteTransport, link: 'usb' | 'tcp', timeouts: V3Timeouts): Promise<{ backend: V3Backend; session: XyzV3Session }> {
  await transport.open();
  const session = new XyzV3Session(transport, link);
  return { backend: new V3Backend(session, timeouts), session };
}

async function connectTcp(target: TcpTarget, options: ConnectOptions, deps: ConnectDeps): Promise<Connected> {
  const jsonFirst = options.protocol === 'json' || (options.protocol === 'auto' && options.model?.wifiProtocol === 'json');
  if (jsonFirst) {
    const backend = new JsonBackend(target);
    return { backend, status: await backend.status() };
  }
  const { backend } = await v3Over((deps.openTcp ?? ((t) => new TcpTransport(t)))(target), 'tcp', options.v3Timeouts);
  try {
    return { backend, status: await firstStatus(backend) };
  } catch (err) {
    await backend.close().catch(() => undefined);
    if (options.protocol === 'v3' || err instanceof XyzTransportError && err.code !== 'closed') throw err;
    // No `$`-terminated answer: maybe a 1.1 Plus, which speaks JSON on Wi-Fi.
    const json = new JsonBackend(target);
    try {
      return { backend: json, status: await json.status() };
    } catch {
      throw err;
    }
  }
}

/** XYZ_@3D on an open transport: the backend and its first status, or null (the transport stays open). */
async function v2On(transport: XyzByteTransport, options: ConnectOptions): Promise<Connected | null> {
  const v2 = new V2Backend(transport, options.v2Timeouts ?? V2_TIMEOUTS);
  if (await v2.probe().catch(() => false)) return { backend: v2, status: await v2.status() };
  v2.detach();
  return null;
}

/** The model's protocol over USB; the 1.1 Plus answers XYZv3 queries there but prints over v2. */
function usbProtocolOf(status: XyzStatus): 'v2' | 'v3' | 'json' | null {
  const model = (status.modelNumber ? findModel(status.modelNumber) : undefined) ?? (status.serial ? findModelBySerial(status.serial) : undefined);
  return model?.protocol ?? null;
}

async function connectSerial(path: string, options: ConnectOptions, deps: ConnectDeps): Promise<Connected> {
  const transport = (deps.openSerial ?? ((p) => new SerialTransport(p)))(path);
  const v2First = options.protocol === 'v2' || (options.protocol === 'auto' && options.model?.protocol === 'v2');
  if (v2First) {
    await transport.open();
    try {
      const connected = await v2On(transport, options);
      if (connected) return connected;
    } catch (err) {
      await transport.close().catch(() => undefined);
      throw err;
    }
    if (options.protocol === 'v2' || !transport.isOpen) {
      await transport.close().catch(() => undefined);
      throw new XyzNoAnswerError(`${path} does not answer XYZ_@3D:0: is it a da Vinci 1.0 / 2.0?`, 'timeout');
    }
  }
  const session = new XyzV3Session(transport, 'usb');
  if (!transport.isOpen) await transport.open();
  const backend = new V3Backend(session, options.v3Timeouts);
  let status: XyzStatus;
  try {
    status = await firstStatus(backend);
  } catch (err) {
    if (!(err instanceof XyzNoAnswerError) || options.protocol === 'v3' || v2First || !transport.isOpen) {
      await backend.close().catch(() => undefined);
      throw err;
    }
    // No XYZv3 answer: the 1.0 / 2.0 families speak XYZ_@3D.
    session.detach();
    const connected = await v2On(transport, options).catch(() => null);
    if (connected) return connected;
    await transport.close().catch(() => undefined);
    throw new XyzNoAnswerError(`${path} answers neither XYZv3 nor XYZ_@3D: is it a da Vinci?`, 'timeout');
  }
  if (options.protocol !== 'v3' && usbProtocolOf(status) === 'v2') {
    // A 1.1 Plus on USB: XYZv3 gives status only, files and the rest go over XYZ_@3D.
    session.detach();
    const connected = await v2On(transport, options).catch(() => null);
    if (connected) return connected;
    // It did not answer v2 after all: keep what works (status over v3), printing will say why not.
    return { backend: new V3Backend(new XyzV3Session(transport, 'usb'), options.v3Timeouts), status };
  }
  return { backend, status };
}

/** Opens the link the address names and identifies the printer. */
export async function connectBackend(address: XyzAddress, options: ConnectOptions, deps: ConnectDeps = {}): Promise<Connected> {
  switch (address.kind) {
    case 'tcp':
      return connectTcp(address.target, options, deps);
    case 'serial':
      return connectSerial(address.path, options, deps);
    case 'usb': {
      const port = await findPortBySerialNumber(address.serialNumber, deps.listPorts);
      if (!port) {
        throw new XyzTransportError('unplugged', `${describeAddress(address)} is not plugged in (no USB port with that serial number).`);
      }
      return connectSerial(port.path, options, deps);
    }
  }
}
