import { SerialPort } from 'serialport';

/** What serialport's `list()` reports for a port (the fields discovery reads). */
export interface SerialPortInfo {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  pnpId?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
  friendlyName?: string | undefined;
}

export type SerialPortLister = () => Promise<SerialPortInfo[]>;

/** XYZprinting's USB vendor id. */
export const XYZ_USB_VENDOR_ID = '11f1';

export const listSerialPorts: SerialPortLister = () => SerialPort.list();

/**
 * A port is a da Vinci when its USB vendor id is 0x11F1 or its manufacturer / description says
 * "XYZ". Nothing else is ever opened: unknown devices may react to our bytes.
 */
export function isXyzPort(info: SerialPortInfo): boolean {
  if ((info.vendorId ?? '').toLowerCase() === XYZ_USB_VENDOR_ID) return true;
  return [info.manufacturer, info.friendlyName, info.pnpId].some((text) => (text ?? '').toUpperCase().includes('XYZ'));
}

export async function findXyzPorts(list: SerialPortLister = listSerialPorts): Promise<SerialPortInfo[]> {
  return (await list()).filter(isXyzPort);
}

/** The USB iSerialNumber equals the printer serial, so it finds the printer again after an unplug. */
export async function findPortBySerialNumber(
  serialNumber: string,
  list: SerialPortLister = listSerialPorts,
): Promise<SerialPortInfo | null> {
  const wanted = serialNumber.trim().toUpperCase();
  return (await findXyzPorts(list)).find((p) => (p.serialNumber ?? '').trim().toUpperCase() === wanted) ?? null;
}
