import type { DatabaseSync } from 'node:sqlite';
import { Poller } from '../../shared/async';
import type { CloudMessage } from '../../shared/contract';
import type { EventHub } from '../events/event-hub';
import type { Logger } from '../log';
import type { NotificationCenter } from '../notifications/notification-center';
import { guardedWrite } from '../store/database';
import type { ArmoryApi } from './armory/armory-api';
import { ArmoryError } from './armory/errors';
import type { CloudSession } from './cloud-session';
import type { UserMessage } from '../gen/armory/v1/armory';

export const INBOX_INTERVAL_MS = 60_000;
const MAX_NOTICES = 3;

function idValue(id: string): bigint | null {
  return /^[0-9]{1,19}$/.test(id) ? BigInt(id) : null;
}

/** Message ids newer than `lastSeen` (ids grow over time), newest first. */
export function newerThan<T extends { id: string }>(messages: readonly T[], lastSeen: string | null): T[] {
  const floor = lastSeen === null ? null : idValue(lastSeen);
  return messages.filter((m) => {
    const v = idValue(m.id);
    return v !== null && (floor === null || v > floor);
  });
}

/**
 * The account's inbox: polls the newest messages, and for those newer than the last one seen
 * (remembered in the database, so a restart does not re-announce) emits `cloud.inbox` and raises
 * notifications. The first poll of an account only sets the baseline. A print the fleet already
 * announced (finished/failed) is not announced twice.
 */
export class CloudInbox {
  private readonly poller = new Poller({
    poll: () => this.step(),
    next: () => (this.deps.session.state === 'signed-in' ? (this.deps.intervalMs ?? INBOX_INTERVAL_MS) : null),
    unref: true,
  });

  constructor(
    private readonly deps: {
      connectionId: string;
      session: CloudSession;
      api: ArmoryApi;
      db: DatabaseSync;
      events: EventHub;
      notifications: NotificationCenter;
      log: Logger;
      toMessage: (m: UserMessage) => CloudMessage;
      alreadyAnnounced: (taskId: string) => boolean;
      intervalMs?: number;
    },
  ) {}

  start(): void {
    if (this.poller.running) return;
    this.poller.start();
    this.sessionChanged();
  }

  stop(): void {
    this.poller.stop();
  }

  sessionChanged(): void {
    this.poller.cancel();
    if (this.deps.session.state === 'signed-in') this.poller.schedule(1_000);
  }

  poll(): Promise<void> {
    return this.poller.poll();
  }

  forget(): void {
    guardedWrite(this.deps.db, () => {
      this.deps.db.prepare('DELETE FROM cloud_inbox_seen WHERE connection_id = ?').run(this.deps.connectionId);
    });
  }

  private async step(): Promise<void> {
    const { session, api, log } = this.deps;
    if (session.state !== 'signed-in') return;
    let hits: UserMessage[];
    try {
      hits = (await session.authed((t) => api.listMyMessages(t, { type: 0, after: '', limit: 20 }))).hits;
    } catch (err) {
      if (err instanceof ArmoryError) log.warn('reading the cloud inbox failed', err.message);
      else log.error('reading the cloud inbox failed', err);
      return;
    }
    const lastSeen = this.lastSeen();
    const fresh = newerThan(hits, lastSeen).slice(0, 50);
    const newest = fresh.reduce<string | null>((max, m) => (max === null || BigInt(m.id) > BigInt(max) ? m.id : max), null);
    if (newest !== null) this.saveLastSeen(newest);
    if (lastSeen === null || fresh.length === 0) return;
    const messages = fresh.map(this.deps.toMessage);
    this.deps.events.emit('cloud.inbox', { connectionId: this.deps.connectionId, messages });
    const toAnnounce = messages.filter((m) => !(m.task && this.deps.alreadyAnnounced(m.task.id)));
    for (const m of toAnnounce.slice(0, MAX_NOTICES)) this.notify(m);
    if (toAnnounce.length > MAX_NOTICES) {
      this.deps.notifications.notify({ level: 'success', title: 'Cloud inbox', body: `${toAnnounce.length - MAX_NOTICES} more new messages.`, route: 'cloud' });
    }
  }

  private notify(m: CloudMessage): void {
    const task = m.task;
    if (!task) {
      this.deps.notifications.notify({ level: 'success', title: 'Cloud message', body: `${m.typeLabel}${m.from ? ` from ${m.from}` : ''}.`, route: 'cloud' });
      return;
    }
    const where = task.deviceName ? ` on ${task.deviceName}` : '';
    const failed = task.status.tone === 'error';
    this.deps.notifications.notify({
      level: failed ? 'warning' : 'success',
      title: failed ? `Cloud print failed${where}` : `Cloud print ${task.status.tone === 'ok' ? 'finished' : 'update'}${where}`,
      body: `${task.title}: ${task.status.label}.`,
      route: 'cloud',
    });
  }

  private lastSeen(): string | null {
    const row = this.deps.db.prepare('SELECT last_id FROM cloud_inbox_seen WHERE connection_id = ?').get(this.deps.connectionId) as
      | { last_id: string }
      | undefined;
    return row?.last_id ?? null;
  }

  private saveLastSeen(id: string): void {
    const current = this.lastSeen();
    if (current !== null && idValue(current) !== null && BigInt(current) >= BigInt(id)) return;
    guardedWrite(this.deps.db, () => {
      this.deps.db
        .prepare(
          `INSERT INTO cloud_inbox_seen (connection_id, last_id, updated_at) VALUES (?, ?, ?)
           ON CONFLICT(connection_id) DO UPDATE SET last_id = excluded.last_id, updated_at = excluded.updated_at`,
        )
        .run(this.deps.connectionId, id, Date.now());
    });
  }
}
