import { create } from 'zustand';
import type { DeviceStatus, FileCheck } from '../../shared/contract';
import type { RpcErrorShape } from '../../shared/rpc/result';
import { api } from '../api';
import { discardPrepared, prepareFile, printPrepared, type PreparedFile } from '../files/send-to-printer';

export interface PendingPrint {
  deviceId: string;
  deviceName: string;
  file: PreparedFile;
  /** What main found out about the file and the printer; null when it could not read the file. */
  check: FileCheck | null;
  checkError: string | null;
}

interface PrintConfirmState {
  pending: PendingPrint | null;
  sending: boolean;
  /** Prepares the file, asks main whether it suits the printer, and waits for the person's word. */
  ask(device: Pick<DeviceStatus, 'deviceId' | 'name'>, file: File): Promise<{ ok: true } | { ok: false; error: RpcErrorShape }>;
  confirm(): Promise<{ ok: true } | { ok: false; error: RpcErrorShape }>;
  dismiss(): Promise<void>;
}

/**
 * Nothing prints without a confirmation naming the file and the printer (a Benchy sliced for a
 * Jr. 1.0w once went to a nano without a word). One dialog for the whole app, wherever the file
 * was dropped or picked.
 */
export const usePrintConfirmStore = create<PrintConfirmState>((set, get) => ({
  pending: null,
  sending: false,
  async ask(device, file) {
    const previous = get().pending;
    if (previous) await get().dismiss();
    const prepared = await prepareFile(device.deviceId, file);
    if (!prepared.ok) return prepared;
    const checked = await api().call('printers.checkFile', { deviceId: device.deviceId, file: prepared.value.source, name: file.name });
    set({
      pending: {
        deviceId: device.deviceId,
        deviceName: device.name,
        file: prepared.value,
        check: checked.ok ? checked.value : null,
        checkError: checked.ok ? null : checked.error.message,
      },
    });
    return { ok: true };
  },
  async confirm() {
    const pending = get().pending;
    if (!pending) return { ok: true };
    set({ sending: true });
    const r = await printPrepared(pending.deviceId, pending.file);
    set({ pending: null, sending: false });
    return r;
  },
  async dismiss() {
    const pending = get().pending;
    set({ pending: null });
    if (pending) await discardPrepared(pending.file);
  },
}));
