import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { DatabaseSync } from 'node:sqlite';
import { MqttSettings } from '../../shared/contract';
import { applyDomainMigrations } from '../store/migrations';
import { DEFAULT_DISCOVERY_PREFIX } from './ha-discovery';
import { MQTT_MIGRATIONS } from './migrations';
import { slugify } from './topics';

export const PASSWORD_SECRET = 'mqtt:password';

export function defaultSettings(): MqttSettings {
  return {
    enabled: false,
    url: '',
    username: null,
    site: slugify(os.hostname() || 'site').slice(0, 48),
    hostName: os.hostname() || 'Printdeck',
    discovery: true,
    discoveryPrefix: DEFAULT_DISCOVERY_PREFIX,
    commands: [],
    camera: false,
  };
}

/** The settings row, created on first use with a random host uid that never changes afterwards. */
export class MqttSettingsStore {
  constructor(private readonly db: DatabaseSync) {
    applyDomainMigrations(db, 'mqtt', MQTT_MIGRATIONS);
  }

  read(): { settings: MqttSettings; hostUid: string } {
    const row = this.db.prepare('SELECT host_uid, json FROM mqtt_settings WHERE id = 1').get() as { host_uid: string; json: string } | undefined;
    if (!row) {
      const hostUid = randomBytes(8).toString('hex');
      const settings = defaultSettings();
      this.db.prepare('INSERT INTO mqtt_settings (id, host_uid, json) VALUES (1, ?, ?)').run(hostUid, JSON.stringify(settings));
      return { settings, hostUid };
    }
    // A row from an older build lacks newer keys: the defaults fill them; a broken one falls back whole.
    const parsed = MqttSettings.safeParse({ ...defaultSettings(), ...(JSON.parse(row.json) as object) });
    return { settings: parsed.success ? parsed.data : defaultSettings(), hostUid: row.host_uid };
  }

  write(settings: MqttSettings): void {
    this.read();
    this.db.prepare('UPDATE mqtt_settings SET json = ? WHERE id = 1').run(JSON.stringify(settings));
  }
}
