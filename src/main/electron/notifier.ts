import { Notification } from 'electron';
import type { DesktopNotifier } from '../notifications/notification-center';

/** Native desktop notifications for notices worth interrupting for (print done, failures). */
export function nativeNotifier(onClick: (route: string | null) => void): DesktopNotifier {
  return (n) => {
    if (!Notification.isSupported() || n.level === 'info') return;
    const notification = new Notification({ title: n.title, body: n.body, silent: n.level === 'success' });
    notification.on('click', () => onClick(n.route));
    notification.show();
  };
}
