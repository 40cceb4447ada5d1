import type { Migration } from '../store/migrations';

/** The chat domain's tables. Every secret column is sealed (see store/sealer.ts); ids and public keys are plain. */
export const CHAT_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'chat accounts, keys, sessions, outbox, contacts, groups, messages',
    sql: `
      CREATE TABLE chat_accounts (
        account TEXT PRIMARY KEY,
        user_id TEXT NOT NULL, domain TEXT NOT NULL, device_id TEXT NOT NULL,
        user_name TEXT NOT NULL, authenticator TEXT NOT NULL,
        pack_id INTEGER NOT NULL,
        server_key BLOB NOT NULL,
        keys BLOB NOT NULL,
        next_opk_id INTEGER NOT NULL,
        privacy TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE chat_opks (
        account TEXT NOT NULL, opk_id INTEGER NOT NULL, secret BLOB NOT NULL, public BLOB NOT NULL,
        PRIMARY KEY (account, opk_id)
      );
      CREATE TABLE chat_devices (
        account TEXT NOT NULL, user_id TEXT NOT NULL, domain TEXT NOT NULL, device_id TEXT NOT NULL,
        kem_pk BLOB, sign_pk BLOB, updated_at INTEGER NOT NULL,
        PRIMARY KEY (account, user_id, domain, device_id)
      );
      CREATE TABLE chat_sessions (
        account TEXT NOT NULL, session_id TEXT NOT NULL,
        peer_user TEXT NOT NULL, peer_domain TEXT NOT NULL, peer_device TEXT NOT NULL,
        responded INTEGER NOT NULL, invite_t INTEGER NOT NULL, state BLOB NOT NULL, created_at INTEGER NOT NULL,
        PRIMARY KEY (account, session_id)
      );
      CREATE INDEX chat_sessions_peer ON chat_sessions (account, peer_user, peer_domain, peer_device);
      CREATE TABLE chat_pending (
        id INTEGER PRIMARY KEY AUTOINCREMENT, account TEXT NOT NULL, session_id TEXT NOT NULL,
        plaintext BLOB NOT NULL, message_id TEXT
      );
      CREATE TABLE chat_outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT, account TEXT NOT NULL, kind TEXT NOT NULL, body BLOB NOT NULL,
        message_id TEXT, attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE chat_processed (
        account TEXT NOT NULL, proto_msg_id TEXT NOT NULL, at INTEGER NOT NULL,
        PRIMARY KEY (account, proto_msg_id)
      );
      CREATE TABLE chat_contacts (
        account TEXT NOT NULL, user_id TEXT NOT NULL, domain TEXT NOT NULL,
        nickname TEXT NOT NULL DEFAULT '', memo TEXT NOT NULL DEFAULT '',
        status INTEGER NOT NULL DEFAULT 0, blocked INTEGER NOT NULL DEFAULT 0, verified INTEGER NOT NULL DEFAULT 0,
        modified INTEGER NOT NULL,
        PRIMARY KEY (account, user_id, domain)
      );
      CREATE TABLE chat_groups (
        account TEXT NOT NULL, group_id TEXT NOT NULL, name TEXT NOT NULL,
        members TEXT NOT NULL, member_devices TEXT NOT NULL, stale INTEGER NOT NULL DEFAULT 1,
        active INTEGER NOT NULL DEFAULT 1, updated_at INTEGER NOT NULL,
        PRIMARY KEY (account, group_id)
      );
      CREATE TABLE chat_group_sessions (
        account TEXT NOT NULL, session_id TEXT NOT NULL, group_id TEXT NOT NULL,
        seed BLOB NOT NULL, own_chain BLOB, created_at INTEGER NOT NULL,
        PRIMARY KEY (account, session_id)
      );
      CREATE TABLE chat_group_chains (
        account TEXT NOT NULL, session_id TEXT NOT NULL, sender TEXT NOT NULL, chain BLOB NOT NULL,
        PRIMARY KEY (account, session_id, sender)
      );
      CREATE TABLE chat_deferred (
        id INTEGER PRIMARY KEY AUTOINCREMENT, account TEXT NOT NULL, session_id TEXT NOT NULL,
        body BLOB NOT NULL, at INTEGER NOT NULL
      );
      CREATE TABLE chat_messages (
        account TEXT NOT NULL, id TEXT NOT NULL,
        conv_type TEXT NOT NULL, conv_id TEXT NOT NULL,
        sender TEXT NOT NULL, direction TEXT NOT NULL, kind TEXT NOT NULL,
        body BLOB NOT NULL, image BLOB, mime TEXT, image_bytes INTEGER NOT NULL DEFAULT 0,
        state TEXT NOT NULL, pending_sends INTEGER NOT NULL DEFAULT 0,
        sent_at INTEGER NOT NULL, created_at INTEGER NOT NULL, seen INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (account, id)
      );
      CREATE INDEX chat_messages_conv ON chat_messages (account, conv_type, conv_id, created_at);
    `,
  },
  {
    version: 2,
    description: 'delivery receipts of group messages, one row per member who confirmed',
    sql: `
      CREATE TABLE chat_group_receipts (
        account TEXT NOT NULL, message_id TEXT NOT NULL, member TEXT NOT NULL,
        PRIMARY KEY (account, message_id, member)
      );
    `,
  },
  {
    version: 3,
    description: "a session's KEM keys in a column of their own, rewritten only when the ratchet turns (rows before keep their whole state in state)",
    sql: `ALTER TABLE chat_sessions ADD COLUMN keys BLOB;`,
  },
];
