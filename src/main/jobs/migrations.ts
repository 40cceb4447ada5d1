import type { Migration } from '../store/migrations';

/** The print queue, its printers' bed state, and the history of prints. */
export const JOBS_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'print queue, queue printers, print history',
    sql: `
      CREATE TABLE queue_jobs (
        id TEXT PRIMARY KEY,
        file_name TEXT NOT NULL, file_path TEXT NOT NULL, size INTEGER NOT NULL, facts TEXT NOT NULL,
        target TEXT NOT NULL,
        priority INTEGER NOT NULL DEFAULT 0, position REAL NOT NULL,
        held INTEGER NOT NULL DEFAULT 0,
        state TEXT NOT NULL,
        copy_index INTEGER NOT NULL, copy_count INTEGER NOT NULL,
        requeue_on_failure INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0,
        device_id TEXT, device_name TEXT, last_error TEXT,
        created_at INTEGER NOT NULL, started_at INTEGER, ended_at INTEGER
      );
      CREATE INDEX queue_jobs_order ON queue_jobs (state, priority DESC, position);
      CREATE UNIQUE INDEX queue_jobs_one_per_printer ON queue_jobs (device_id) WHERE state IN ('starting', 'printing');
      CREATE TABLE queue_printers (
        device_id TEXT PRIMARY KEY,
        name TEXT NOT NULL DEFAULT '',
        bed_clear INTEGER NOT NULL DEFAULT 1,
        auto_clear INTEGER NOT NULL DEFAULT 0,
        tags TEXT NOT NULL DEFAULT '[]'
      );
      CREATE TABLE print_history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        device_id TEXT NOT NULL, printer_name TEXT NOT NULL, family TEXT NOT NULL,
        file_name TEXT, origin TEXT NOT NULL,
        started_at INTEGER NOT NULL, ended_at INTEGER, duration_sec INTEGER,
        outcome TEXT NOT NULL, reason TEXT, filament_mm REAL, queue_job_id TEXT,
        filament_start_mm REAL
      );
      CREATE INDEX print_history_started ON print_history (started_at);
      CREATE INDEX print_history_device ON print_history (device_id, started_at);
      CREATE TABLE history_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
  {
    version: 2,
    description: "prints imported from the printers' own histories",
    sql: `
      ALTER TABLE print_history ADD COLUMN external_source TEXT;
      ALTER TABLE print_history ADD COLUMN external_id TEXT;
      ALTER TABLE print_history ADD COLUMN imported INTEGER NOT NULL DEFAULT 0;
      CREATE UNIQUE INDEX print_history_external ON print_history (device_id, external_source, external_id)
        WHERE external_id IS NOT NULL;
    `,
  },
];
