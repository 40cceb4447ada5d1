import type { DatabaseSync } from 'node:sqlite';
import type { DeviceTagList } from '../../shared/contract';
import { applyDomainMigrations, type Migration } from '../store/migrations';

const TAG_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'rooms, groups and tags the user gives printers',
    sql: `
      CREATE TABLE device_tags (
        device_id TEXT NOT NULL,
        tag TEXT NOT NULL,
        PRIMARY KEY (device_id, tag)
      ) WITHOUT ROWID;
    `,
  },
];

/** The most tags one printer carries; a room and a few groups, not a taxonomy. */
export const MAX_TAGS_PER_DEVICE = 16;

/**
 * The user's rooms, groups and tags for printers, kept in the database so every window and
 * browser sees the same groups and they survive restarts.
 */
export class DeviceTags {
  constructor(private readonly db: DatabaseSync) {
    applyDomainMigrations(db, 'printers', TAG_MIGRATIONS);
  }

  list(): DeviceTagList {
    const rows = this.db.prepare('SELECT device_id, tag FROM device_tags ORDER BY device_id, tag').all() as { device_id: string; tag: string }[];
    const byDevice = new Map<string, string[]>();
    for (const r of rows) byDevice.set(r.device_id, [...(byDevice.get(r.device_id) ?? []), r.tag]);
    return [...byDevice].map(([deviceId, tags]) => ({ deviceId, tags }));
  }

  /** Adds and removes tags on several printers in one transaction; a printer keeps at most MAX_TAGS_PER_DEVICE. */
  change(deviceIds: readonly string[], add: readonly string[], remove: readonly string[]): void {
    const insert = this.db.prepare('INSERT OR IGNORE INTO device_tags (device_id, tag) VALUES (?, ?)');
    const del = this.db.prepare('DELETE FROM device_tags WHERE device_id = ? AND tag = ?');
    const count = this.db.prepare('SELECT COUNT(*) AS n FROM device_tags WHERE device_id = ?');
    this.db.exec('BEGIN IMMEDIATE');
    try {
      for (const id of deviceIds) {
        for (const tag of remove) del.run(id, tag);
        for (const tag of add) {
          if ((count.get(id) as { n: number }).n >= MAX_TAGS_PER_DEVICE) break;
          insert.run(id, tag);
        }
      }
      this.db.exec('COMMIT');
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }
}
