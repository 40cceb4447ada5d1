import type { Migration } from '../store/migrations';

/** The MQTT domain's one table: its settings as a JSON document (the broker password is a secret, not here). */
export const MQTT_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'mqtt settings',
    sql: `CREATE TABLE mqtt_settings (id INTEGER PRIMARY KEY CHECK (id = 1), host_uid TEXT NOT NULL, json TEXT NOT NULL);`,
  },
];
