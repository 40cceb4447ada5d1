import { api } from '../api';
import { alertInBrowser } from '../notifications/browser-alerts';
import { useAppStore } from './app-store';
import { useConnectionsStore } from './connections-store';
import { useDemoStore } from './demo-store';
import { useDevicesStore } from './devices-store';
import { useNotificationsStore } from './notifications-store';
import { subscribeStore } from './subscribe-store';

/** Wires contract events into the stores, and re-reads everything whenever the link (re)opens. */
export function bootstrapStores(): () => void {
  const client = api();
  return subscribeStore({
    events: {
      'connections.changed': (p) => useConnectionsStore.getState().replace(p.connections),
      'devices.delta': (d) => useDevicesStore.getState().applyDelta(d),
      'devices.removed': (p) => useDevicesStore.getState().remove(p.deviceId),
      'devices.tagsChanged': (p) => useDevicesStore.getState().setTags(p.tags),
      'printers.transfer': (p) => useDevicesStore.getState().applyTransfer(p),
      'discovery.changed': (p) => useDevicesStore.getState().setDiscovered(p.printers),
      'demo.changed': (d) => useDemoStore.getState().set(d),
      'notifications.changed': (p) => useNotificationsStore.getState().setUnread(p.unread),
      'app.notification': (n) => {
        useNotificationsStore.getState().arrived(n);
        if (n.level !== 'info') useAppStore.getState().toast({ level: n.level, title: n.title, body: n.body });
        alertInBrowser(n);
      },
    },
    onLink: (status) => useAppStore.getState().setLink(status),
    async reload() {
      // All at once: the first screen waits for the slowest, not for the sum.
      await Promise.all([
        client.call('app.info', {}).then((info) => {
          if (info.ok) useAppStore.getState().setInfo(info.value);
        }),
        useConnectionsStore.getState().load(),
        useDevicesStore.getState().load(),
        useDemoStore.getState().load(),
        useNotificationsStore.getState().load(),
      ]);
    },
  });
}
