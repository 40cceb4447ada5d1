import { AppError } from '../../../../shared/rpc/result';
import type { TcpTarget } from '../transport';

/** Wi-Fi da Vincis listen on 9100. */
export const XYZ_TCP_PORT = 9100;

export type XyzAddress =
  | { kind: 'tcp'; target: TcpTarget }
  | { kind: 'serial'; path: string }
  /** A USB printer found by its serial number, wherever the OS put it. */
  | { kind: 'usb'; serialNumber: string };

/** `tcp://host[:port]`, `serial:///dev/ttyACM0` (or `serial://COM3`), `usb://<serial number>`. */
export function parseXyzAddress(address: string): XyzAddress {
  const text = address.trim();
  const scheme = /^([a-z]+):\/\/(.*)$/i.exec(text);
  if (!scheme) throw new AppError('BAD_REQUEST', `"${address}" is not a da Vinci address (tcp://, serial:// or usb://).`);
  const kind = (scheme[1] ?? '').toLowerCase();
  const rest = scheme[2] ?? '';
  if (kind === 'tcp') {
    let url: URL;
    try {
      url = new URL(`tcp://${rest}`);
    } catch {
      throw new AppError('BAD_REQUEST', `"${address}" is not a valid tcp:// address.`);
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!host) throw new AppError('BAD_REQUEST', `"${address}" names no host.`);
    const port = url.port === '' ? XYZ_TCP_PORT : Number(url.port);
    return { kind: 'tcp', target: { host, port } };
  }
  if (kind === 'serial') {
    const path = decodeURIComponent(rest);
    if (!path) throw new AppError('BAD_REQUEST', `"${address}" names no serial port.`);
    return { kind: 'serial', path };
  }
  if (kind === 'usb') {
    const serialNumber = decodeURIComponent(rest).replace(/\/+$/, '').trim();
    if (!/^[\x21-\x7e]{1,64}$/.test(serialNumber)) throw new AppError('BAD_REQUEST', `"${address}" names no USB serial number.`);
    return { kind: 'usb', serialNumber };
  }
  throw new AppError('BAD_REQUEST', `"${address}" is not a da Vinci address (tcp://, serial:// or usb://).`);
}

export function describeAddress(address: XyzAddress): string {
  switch (address.kind) {
    case 'tcp':
      return `${address.target.host}:${address.target.port}`;
    case 'serial':
      return address.path;
    case 'usb':
      return `USB printer ${address.serialNumber}`;
  }
}
