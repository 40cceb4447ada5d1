import { api } from '../api';
import { useAppStore } from './app-store';
import { useConnectionsStore } from './connections-store';
import { useDemoStore } from './demo-store';
import { useDevicesStore } from './devices-store';

/** Wires contract events into the stores, and re-reads everything whenever the link (re)opens. */
export function bootstrapStores(): () => void {
  const client = api();
  const reload = async (): Promise<void> => {
    const info = await client.call('app.info', {});
    if (info.ok) useAppStore.getState().setInfo(info.value);
    await Promise.all([
      useConnectionsStore.getState().load(),
      useDevicesStore.getState().load(),
      useDemoStore.getState().load(),
    ]);
  };
  const offs = [
    client.on('connections.changed', (p) => useConnectionsStore.getState().replace(p.connections)),
    client.on('devices.status', (s) => useDevicesStore.getState().apply(s)),
    client.on('devices.removed', (p) => useDevicesStore.getState().remove(p.deviceId)),
    client.on('printers.transfer', (p) => useDevicesStore.getState().applyTransfer(p)),
    client.on('discovery.changed', (p) => useDevicesStore.getState().setDiscovered(p.printers)),
    client.on('demo.changed', (d) => useDemoStore.getState().set(d)),
    client.on('app.notification', (n) => {
      if (n.level !== 'info') useAppStore.getState().toast({ level: n.level, title: n.title, body: n.body });
    }),
    client.onLinkStatus((status) => {
      useAppStore.getState().setLink(status);
      if (status === 'open') void reload();
    }),
  ];
  useAppStore.getState().setLink(client.linkStatus());
  if (client.linkStatus() === 'open') void reload();
  return () => offs.forEach((off) => off());
}
