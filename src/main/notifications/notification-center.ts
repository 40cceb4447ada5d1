import { randomUUID } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import type { AppNotification, NotificationQuery } from '../../shared/contract';
import type { EventHub } from '../events/event-hub';
import { applyDomainMigrations, type Migration } from '../store/migrations';

/** Shows a notification outside the window (Electron's native notifications); absent when headless. */
export type DesktopNotifier = (n: AppNotification) => void;

/** A notice from the past, with its own time and read state. */
export type PastNotification = Pick<AppNotification, 'level' | 'title' | 'body' | 'at' | 'read'> & { route?: string | null; deviceId?: string | null };

/** Notifications kept: a lab's month of finished and failed prints, not an archive. */
const KEEP = 5_000;
const DEFAULT_LIMIT = 100;

const NOTIFICATION_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'the notification centre',
    sql: `
      CREATE TABLE notifications (
        id TEXT PRIMARY KEY,
        level TEXT NOT NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        route TEXT,
        device_id TEXT,
        at INTEGER NOT NULL,
        read INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX notifications_at ON notifications (at DESC);
      CREATE INDEX notifications_device ON notifications (device_id, at DESC);
    `,
  },
];

interface Row {
  id: string;
  level: AppNotification['level'];
  title: string;
  body: string;
  route: string | null;
  device_id: string | null;
  at: number;
  read: number;
}

function fromRow(r: Row): AppNotification {
  return { id: r.id, level: r.level, title: r.title, body: r.body, route: r.route, deviceId: r.device_id, at: r.at, read: r.read !== 0 };
}

/**
 * Every notice the app raises: stored (so yesterday's are there after a restart, for every
 * window and browser), sent to clients, and shown on the desktop.
 */
export class NotificationCenter {
  private desktop: DesktopNotifier | null = null;

  constructor(
    private readonly events: EventHub,
    private readonly db: DatabaseSync,
  ) {
    applyDomainMigrations(db, 'notifications', NOTIFICATION_MIGRATIONS);
  }

  setDesktopNotifier(notifier: DesktopNotifier | null): void {
    this.desktop = notifier;
  }

  notify(input: Omit<AppNotification, 'id' | 'at' | 'route' | 'deviceId' | 'read'> & { route?: string | null; deviceId?: string | null }): AppNotification {
    const route = input.route ?? null;
    // Printer notices route to their device page; that names the printer for filtering.
    const deviceId = input.deviceId ?? (route?.startsWith('devices/') ? route.slice('devices/'.length) : null);
    const n: AppNotification = { id: randomUUID(), at: Date.now(), level: input.level, title: input.title, body: input.body, route, deviceId, read: false };
    this.db
      .prepare('INSERT INTO notifications (id, level, title, body, route, device_id, at, read) VALUES (?, ?, ?, ?, ?, ?, ?, 0)')
      .run(n.id, n.level, n.title, n.body, n.route, n.deviceId, n.at);
    this.db.prepare('DELETE FROM notifications WHERE id IN (SELECT id FROM notifications ORDER BY at DESC LIMIT -1 OFFSET ?)').run(KEEP);
    this.events.emit('app.notification', n);
    this.events.emit('notifications.changed', { unread: this.unread() });
    try {
      this.desktop?.(n);
    } catch {
      // A desktop that cannot show notifications must not break the caller.
    }
    return n;
  }

  /**
   * Stores notices that happened earlier (a demo lab's past days) as they would have been stored
   * then: with their own times and read state, in one transaction, without toasts or desktop
   * notices, which are for news.
   */
  remember(past: readonly PastNotification[]): void {
    if (past.length === 0) return;
    const insert = this.db.prepare('INSERT INTO notifications (id, level, title, body, route, device_id, at, read) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.db.exec('BEGIN IMMEDIATE');
    try {
      for (const p of past) {
        const route = p.route ?? null;
        const deviceId = p.deviceId ?? (route?.startsWith('devices/') ? route.slice('devices/'.length) : null);
        insert.run(randomUUID(), p.level, p.title, p.body, route, deviceId, p.at, p.read ? 1 : 0);
      }
      this.db.prepare('DELETE FROM notifications WHERE id IN (SELECT id FROM notifications ORDER BY at DESC LIMIT -1 OFFSET ?)').run(KEEP);
      this.db.exec('COMMIT');
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
    this.events.emit('notifications.changed', { unread: this.unread() });
  }

  /** Whether any notice is older than `at` (ms since the epoch). */
  hasAnyBefore(at: number): boolean {
    return this.db.prepare('SELECT 1 FROM notifications WHERE at < ? LIMIT 1').get(at) !== undefined;
  }

  /** Newest first. */
  list(query: NotificationQuery = {}): AppNotification[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (query.deviceId !== undefined) {
      where.push('device_id = ?');
      args.push(query.deviceId);
    }
    if (query.levels !== undefined && query.levels.length > 0) {
      where.push(`level IN (${query.levels.map(() => '?').join(', ')})`);
      args.push(...query.levels);
    }
    if (query.unreadOnly) where.push('read = 0');
    if (query.before !== undefined) {
      where.push('at < ?');
      args.push(query.before);
    }
    if (query.since !== undefined) {
      where.push('at >= ?');
      args.push(query.since);
    }
    const sql = `SELECT * FROM notifications ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, rowid DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, query.limit ?? DEFAULT_LIMIT) as unknown as Row[]).map(fromRow);
  }

  unread(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM notifications WHERE read = 0').get() as { n: number }).n;
  }

  markRead(which: { ids: readonly string[] } | { all: true }): number {
    if ('all' in which) this.db.prepare('UPDATE notifications SET read = 1 WHERE read = 0').run();
    else {
      const mark = this.db.prepare('UPDATE notifications SET read = 1 WHERE id = ?');
      for (const id of which.ids) mark.run(id);
    }
    const unread = this.unread();
    this.events.emit('notifications.changed', { unread });
    return unread;
  }
}
