import type { Migration } from '../store/migrations';

/**
 * The uploads domain's tables. Every job and image upload is written here, with its state and
 * the last committed offset the server reported, before anything is acknowledged to the UI; on
 * start the queue resumes from these rows and asks the server for the real committed offset.
 */
export const UPLOADS_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'sessions cache, images, jobs, job images',
    sql: `
      CREATE TABLE uploads_sessions (
        connection_id TEXT NOT NULL,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        completed INTEGER NOT NULL,
        created_at INTEGER,
        finished_at INTEGER,
        seen_at INTEGER NOT NULL,
        PRIMARY KEY (connection_id, id)
      );
      CREATE TABLE uploads_images (
        id TEXT PRIMARY KEY,
        connection_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        name TEXT NOT NULL,
        path TEXT NOT NULL,
        owned INTEGER NOT NULL,
        source TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ms INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        added_at INTEGER NOT NULL,
        server_image_id TEXT,
        thumbnail TEXT NOT NULL DEFAULT 'pending'
      );
      CREATE UNIQUE INDEX uploads_images_by_content ON uploads_images (connection_id, session_id, sha256);
      CREATE INDEX uploads_images_by_session ON uploads_images (connection_id, session_id, added_at);
      CREATE TABLE uploads_jobs (
        id TEXT PRIMARY KEY,
        connection_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        recipient TEXT NOT NULL,
        request_id TEXT NOT NULL,
        server_job_id TEXT,
        state TEXT NOT NULL,
        paused INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        created_at INTEGER NOT NULL,
        finished_at INTEGER,
        delivery_link TEXT,
        delivered_at INTEGER
      );
      CREATE TABLE uploads_job_images (
        job_id TEXT NOT NULL REFERENCES uploads_jobs (id) ON DELETE CASCADE,
        image_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        upload_id TEXT,
        state TEXT NOT NULL,
        committed INTEGER NOT NULL DEFAULT 0,
        size INTEGER NOT NULL,
        error TEXT,
        retryable INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (job_id, image_id)
      );
      CREATE INDEX uploads_job_images_by_position ON uploads_job_images (job_id, position);
    `,
  },
  {
    version: 2,
    description: 'local copies removed once delivered (retention, disk budget)',
    sql: `
      ALTER TABLE uploads_images ADD COLUMN removed_at INTEGER;
      CREATE INDEX uploads_job_images_by_image ON uploads_job_images (image_id);
    `,
  },
];
