import { randomUUID } from 'node:crypto';
import type { AppNotification } from '../../shared/contract';
import type { EventHub } from '../events/event-hub';

/** Shows a notification outside the window (Electron's native notifications); absent when headless. */
export type DesktopNotifier = (n: AppNotification) => void;

const KEEP = 100;

/** Every notice the app raises: kept for the inbox, sent to clients, and shown on the desktop. */
export class NotificationCenter {
  private readonly recent: AppNotification[] = [];
  private desktop: DesktopNotifier | null = null;

  constructor(private readonly events: EventHub) {}

  setDesktopNotifier(notifier: DesktopNotifier | null): void {
    this.desktop = notifier;
  }

  notify(input: Omit<AppNotification, 'id' | 'at' | 'route'> & { route?: string | null }): AppNotification {
    const n: AppNotification = { id: randomUUID(), at: Date.now(), route: input.route ?? null, ...input };
    this.recent.push(n);
    if (this.recent.length > KEEP) this.recent.shift();
    this.events.emit('app.notification', n);
    try {
      this.desktop?.(n);
    } catch {
      // A desktop that cannot show notifications must not break the caller.
    }
    return n;
  }

  list(): AppNotification[] {
    return [...this.recent].reverse();
  }
}
