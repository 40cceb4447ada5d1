import { Notification } from 'electron';
import { AlertGate, quietAlert } from '../../shared/domain/desktop-alerts';
import type { DesktopNotifier } from '../notifications/notification-center';

/**
 * Native desktop notifications for the notices worth interrupting for, by the same rule and rate
 * as the browser's (src/shared/domain/desktop-alerts.ts).
 */
export function nativeNotifier(onClick: (route: string | null) => void, gate = new AlertGate()): DesktopNotifier {
  return (n) => {
    if (!Notification.isSupported() || !gate.admit(n, Date.now())) return;
    const notification = new Notification({ title: n.title, body: n.body, silent: quietAlert(n) });
    notification.on('click', () => onClick(n.route));
    notification.show();
  };
}
