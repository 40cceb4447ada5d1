import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chatCalls } from '../../shared/contract';
import type { ChatAccount, ChatMessage, ChatOverview } from '../../shared/contract/chat';
import { CHAT_IMAGE_CHUNK_BYTES, CHAT_MAX_IMAGE_BYTES } from '../../shared/contract/chat';
import { chatDisplayName } from '../../shared/domain/chat-names';
import { AppError } from '../../shared/rpc/result';
import type { StoredConnection } from '../connections/connection-repo';
import { ConnectionRuntimes } from '../connections/connection-runtimes';
import type { DomainContext, DomainModule } from '../domain';
import type { HandlersOf } from '../rpc/registrar';
import { applyDomainMigrations } from '../store/migrations';
import { ChatConnection } from './chat-connection';
import { contactView, groupView, messageView } from './chat-views';
import { chatErrorCode } from './chat-errors';
import { parseUser, RegistrationError, type ChatEngine } from './client/chat-engine';
import { CHAT_MIGRATIONS } from './migrations';
import type { MessageRow } from './store/chat-store';

type ImageMime = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';
/** At most this many images (each ≤ CHAT_MAX_IMAGE_BYTES) wait in memory between their chunks and their send. */
const MAX_PENDING_IMAGES = 16;

const MESSAGE_BATCH_MS = 100;

/** End-to-end encrypted team chat over Skiserver: one ChatConnection per skiserver connection. */
export function createChatModule(ctx: DomainContext): DomainModule<HandlersOf<typeof chatCalls>> {
  applyDomainMigrations(ctx.db, 'chat', CHAT_MIGRATIONS);
  const pendingMessages = new Map<string, Map<string, ChatMessage>>();
  const uploads = new Map<string, { connectionId: string; chunks: Buffer[]; size: number; at: number }>();
  let flushTimer: NodeJS.Timeout | null = null;

  const storeKey = (connectionId: string): Uint8Array => {
    const id = `connection:${connectionId}:chat-store-key`;
    let key = ctx.secrets.get(id);
    if (!key) {
      key = randomBytes(32).toString('base64');
      ctx.secrets.set(id, key);
    }
    return new Uint8Array(Buffer.from(key, 'base64'));
  };

  /** A sender's display name for notices (contact memo or nickname, else the user id). */
  const nameOf = (connectionId: string, address: string): string => {
    const store = connections.get(connectionId)?.store;
    const contact = store?.contacts().find((x) => `${x.userId}@${x.domain}` === address);
    return chatDisplayName(address, contact);
  };

  /** Accounts working off a backlog, with the messages that arrived meanwhile (for one notice at the end). */
  const catchingUp = new Map<string, number>();

  const statusOf = (c: ChatConnection): ChatAccount['status'] => (c.engine ? c.status : 'signedOut');

  const emitChanged = (connectionId: string): void => {
    const c = connections.get(connectionId);
    if (c) ctx.events.emit('chat.changed', { connectionId, status: statusOf(c) });
  };

  const queueMessages = (connectionId: string, rows: MessageRow[]): void => {
    let batch = pendingMessages.get(connectionId);
    if (!batch) pendingMessages.set(connectionId, (batch = new Map()));
    for (const row of rows) batch.set(row.id, messageView(row));
    flushTimer ??= setTimeout(() => {
      flushTimer = null;
      for (const [id, map] of pendingMessages) {
        const list = [...map.values()];
        for (let i = 0; i < list.length; i += 500) ctx.events.emit('chat.messages', { connectionId: id, messages: list.slice(i, i + 500) });
      }
      pendingMessages.clear();
    }, MESSAGE_BATCH_MS);
  };

  const open = (conn: StoredConnection): ChatConnection => {
    const o = conn.options;
    const chat = new ChatConnection({
      address: conn.address,
      db: ctx.db,
      account: conn.id,
      storeKey: storeKey(conn.id),
      log: ctx.log.child(conn.id),
      ...(typeof o.authHeader === 'string' ? { authHeader: o.authHeader } : {}),
      ...(typeof o.authScheme === 'string' ? { authScheme: o.authScheme } : {}),
      ...(o.recomputeFingerprint === false ? { recomputeFingerprint: false } : {}),
      ...(typeof o.serverKeyPin === 'string' && o.serverKeyPin ? { serverKeyPin: o.serverKeyPin } : {}),
      onMessages: (rows) => {
        queueMessages(conn.id, rows);
        const fresh = rows.filter((r) => r.direction === 'in' && r.state === 'received');
        // A backlog arrives in batches of hundreds: one notice when it is done, not one per message.
        if (catchingUp.has(conn.id)) catchingUp.set(conn.id, (catchingUp.get(conn.id) ?? 0) + fresh.length);
        else if (fresh.length === 1) {
          const r = fresh[0]!;
          ctx.notifications.notify({ level: 'info', title: `New message from ${nameOf(conn.id, r.sender)}`, body: r.convType === 'group' ? 'In a group chat' : 'Direct message', route: 'chat' });
        } else if (fresh.length > 1) ctx.notifications.notify({ level: 'info', title: `${fresh.length} new messages`, body: 'Chat', route: 'chat' });
      },
      onProgress: ({ stored, waiting }) => {
        if (waiting > 0 && !catchingUp.has(conn.id)) catchingUp.set(conn.id, 0);
        ctx.events.emit('chat.progress', { connectionId: conn.id, stored, waiting });
        if (waiting === 0) {
          const count = catchingUp.get(conn.id) ?? 0;
          catchingUp.delete(conn.id);
          if (count > 0) ctx.notifications.notify({ level: 'info', title: `${count} new messages`, body: 'Received while this device was offline', route: 'chat' });
        }
      },
      onChange: () => emitChanged(conn.id),
      onStatus: () => emitChanged(conn.id),
      onFriendRequest: (from) => ctx.notifications.notify({ level: 'info', title: 'Chat contact request', body: `${nameOf(conn.id, from)} wants to add you`, route: 'chat' }),
    });
    return chat;
  };

  const connections = new ConnectionRuntimes<ChatConnection>(
    ctx.connections,
    {
      kinds: ['skiserver'],
      create: (conn) => {
        const chat = open(conn);
        void chat.start();
        return chat;
      },
      dispose: (chat, _, why) => {
        // Removing the server forgets its history on this device; its key goes with the connection's secrets.
        if (why === 'removed') chat.store.wipe();
        chat.close();
      },
    },
    ctx.log,
  );
  // A new or edited server announces its (signed-out or connecting) state to the Chat screen.
  const offAnnounce = ctx.connections.onChange(({ type, connection }) => {
    if (connection.kind === 'skiserver' && type !== 'removed') emitChanged(connection.id);
  });

  const chatOf = (connectionId: string): ChatConnection => {
    const c = connections.get(connectionId);
    if (!c) throw new AppError('NOT_FOUND', 'No chat server with that id. Add a Skiserver connection in Settings.');
    return c;
  };

  const engineOf = (connectionId: string): ChatEngine => {
    const engine = chatOf(connectionId).engine;
    if (!engine) throw new AppError('AUTH_REQUIRED', 'Sign in to this chat server first.');
    return engine;
  };

  const accountOf = (connectionId: string): ChatAccount => {
    const c = chatOf(connectionId);
    const conn = ctx.connections.get(connectionId);
    const account = c.store.loadAccount();
    return {
      connectionId,
      name: conn.name,
      address: conn.address,
      demo: conn.origin === 'demo',
      status: statusOf(c),
      me: account
        ? { userId: account.userId, domain: account.domain, deviceId: account.deviceId, userName: account.userName, authenticator: account.authenticator.replace(/^mailto:/, ''), privacy: account.privacy }
        : null,
    };
  };

  /** Runs an engine action, turning its failures into readable errors with the code that fits. */
  const run = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      if (err instanceof AppError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      throw new AppError(chatErrorCode(err), `${what} failed: ${message}`);
    }
  };

  const overview = (connectionId: string): ChatOverview => {
    const c = chatOf(connectionId);
    const engine = c.engine;
    const account = accountOf(connectionId);
    if (!engine) return { account, conversations: [], contacts: [], groups: [], devices: [], outbox: 0 };
    const contacts = c.store.contacts();
    const groups = c.store.groups();
    const titleOf = (type: 'user' | 'group', id: string): string => {
      if (type === 'group') return groups.find((g) => g.groupId === id)?.name ?? 'Group';
      const contact = contacts.find((x) => `${x.userId}@${x.domain}` === id);
      return chatDisplayName(id, contact);
    };
    const conversations: ChatOverview['conversations'] = c.store.conversations().map((x) => ({ conversation: { type: x.convType, id: x.convId }, title: titleOf(x.convType, x.convId), unread: x.unread, last: messageView(x.last) }));
    for (const g of groups) {
      if (g.active && !conversations.some((x) => x.conversation.type === 'group' && x.conversation.id === g.groupId)) {
        conversations.push({ conversation: { type: 'group', id: g.groupId }, title: g.name, unread: 0, last: null });
      }
    }
    const own = engine.peerDevices(engine.me).map((d) => ({ deviceId: d.deviceId, current: false }));
    return {
      account,
      conversations,
      contacts: contacts.map(contactView),
      groups: groups.map((g) => groupView(engine, g)),
      devices: [{ deviceId: engine.me.deviceId, current: true }, ...own.filter((d) => d.deviceId !== engine.me.deviceId)],
      outbox: c.store.outboxSize(),
    };
  };

  const demoCode = (connectionId: string, email: string): string | null => {
    const conn = ctx.connections.get(connectionId);
    const outbox = conn.options.demoOutbox;
    if (conn.origin !== 'demo' || typeof outbox !== 'string') return null;
    try {
      const text = readFileSync(outbox, 'utf8');
      const blocks = text.split('\n\n').filter((b) => b.startsWith(`To: mailto:${email}\n`));
      return /(\d{6})/.exec(blocks[blocks.length - 1] ?? '')?.[1] ?? null;
    } catch {
      return null;
    }
  };

  const takeUpload = (connectionId: string, uploadId: string): Buffer => {
    const upload = uploads.get(uploadId);
    if (!upload || upload.connectionId !== connectionId) throw new AppError('NOT_FOUND', 'That image upload is unknown or expired; attach the image again.');
    uploads.delete(uploadId);
    return Buffer.concat(upload.chunks);
  };

  const groupResult = (connectionId: string, groupId: string) => {
    const engine = engineOf(connectionId);
    const g = engine.store.group(groupId);
    if (!g) throw new AppError('NOT_FOUND', 'No such group.');
    return groupView(engine, g);
  };

  return {
    start() {
      connections.start();
    },
    async stop() {
      offAnnounce();
      if (flushTimer) clearTimeout(flushTimer);
      await connections.close();
    },
    handlers: {
      'chat.accounts': () => connections.list().map((e) => accountOf(e.connection.id)),
      'chat.requestCode': (req) =>
        run('Requesting a code', async () => {
          const ttlSeconds = await chatOf(req.connectionId).requestCode(`mailto:${req.email}`);
          return { ttlSeconds, demoCode: demoCode(req.connectionId, req.email) };
        }),
      'chat.register': (req) =>
        run('Signing in', async () => {
          try {
            await chatOf(req.connectionId).register({ userId: req.userId, userName: req.userName, authenticator: `mailto:${req.email}`, authCode: req.code });
          } catch (err) {
            if (err instanceof RegistrationError) throw new AppError(err.code === 401 ? 'AUTH_REQUIRED' : 'CONFLICT', err.message);
            throw err;
          }
          emitChanged(req.connectionId);
          return accountOf(req.connectionId);
        }),
      'chat.signOut': async (req) => {
        await chatOf(req.connectionId).signOut();
        emitChanged(req.connectionId);
        return { done: true as const };
      },
      'chat.overview': (req) => overview(req.connectionId),
      'chat.messages': (req) => engineOf(req.connectionId).store.messages(req.conversation.type, req.conversation.id, req.before ?? null, req.limit).map(messageView),
      'chat.markRead': (req) => {
        if (engineOf(req.connectionId).store.markSeen(req.conversation.type, req.conversation.id) > 0) emitChanged(req.connectionId);
        return { done: true as const };
      },
      'chat.send': (req) => run('Sending', async () => messageView(await engineOf(req.connectionId).sendText(req.conversation, req.text))),
      'chat.stageImage': (req) => {
        const now = Date.now();
        for (const [id, u] of uploads) if (now - u.at > 10 * 60_000) uploads.delete(id);
        engineOf(req.connectionId); // only for a signed-in chat account
        const chunk = Buffer.from(req.dataBase64, 'base64');
        if (chunk.length > CHAT_IMAGE_CHUNK_BYTES) throw new AppError('BAD_REQUEST', 'Image chunk too large.');
        let uploadId = req.uploadId;
        if (!uploadId) {
          if (req.offset !== 0) throw new AppError('BAD_REQUEST', 'A new upload starts at offset 0.');
          // Images wait in memory until sent: bound how many may wait at once.
          if (uploads.size >= MAX_PENDING_IMAGES) throw new AppError('UNAVAILABLE', 'Too many images are waiting to be sent; send or wait for them first.');
          uploadId = randomBytes(12).toString('hex');
          uploads.set(uploadId, { connectionId: req.connectionId, chunks: [], size: 0, at: now });
        }
        const upload = uploads.get(uploadId);
        if (!upload || upload.connectionId !== req.connectionId) throw new AppError('NOT_FOUND', 'Unknown upload.');
        if (req.offset !== upload.size) throw new AppError('BAD_REQUEST', `Expected offset ${upload.size}.`);
        if (upload.size + chunk.length > CHAT_MAX_IMAGE_BYTES) throw new AppError('BAD_REQUEST', 'Images are limited to 4 MB.');
        upload.chunks.push(chunk);
        upload.size += chunk.length;
        upload.at = now;
        return { uploadId, received: upload.size };
      },
      'chat.sendImage': (req) =>
        run('Sending the image', async () => {
          const bytes = takeUpload(req.connectionId, req.uploadId);
          return messageView(await engineOf(req.connectionId).sendImage(req.conversation, { bytes, mime: req.mime, name: req.name, caption: req.caption }));
        }),
      'chat.sendSnapshot': (req) =>
        run('Sending the snapshot', async () => {
          const driver = ctx.fleet.driver(req.deviceId);
          if (!driver.status().capabilities.camera) throw new AppError('UNSUPPORTED', 'That printer has no camera.');
          const frame = await driver.captureSnapshot();
          const printer = driver.status().name || 'printer';
          const name = `${printer}-${new Date(frame.at).toISOString()}.${frame.mime === 'image/png' ? 'png' : 'jpg'}`;
          // The caption names the printer, so the picture says what it shows wherever it is read.
          const caption = snapshotCaption(printer, req.caption);
          return messageView(await engineOf(req.connectionId).sendImage(req.conversation, { bytes: frame.data, mime: frame.mime as ImageMime, name, caption }));
        }),
      'chat.imageChunk': (req) => {
        const store = engineOf(req.connectionId).store;
        const row = store.message(req.messageId);
        const image = store.image(req.messageId);
        if (!row || !image) throw new AppError('NOT_FOUND', 'No such image.');
        return { mime: row.mime ?? 'application/octet-stream', total: image.length, dataBase64: Buffer.from(image.subarray(req.offset, req.offset + CHAT_IMAGE_CHUNK_BYTES)).toString('base64') };
      },
      'chat.retry': (req) => run('Sending again', async () => messageView(await engineOf(req.connectionId).retry(req.messageId))),
      'chat.findUser': (req) =>
        run('Finding the user', async () => {
          const engine = engineOf(req.connectionId);
          const query = req.query.includes('@') && !req.query.endsWith(`@${engine.me.domain}`) ? { authenticator: req.query } : { userId: req.query.split('@')[0] ?? req.query };
          const found = await engine.findUser(query);
          return found ? { address: `${found.userId}@${found.domain}`, nickname: found.nickname } : null;
        }),
      'chat.friend': (req) =>
        run('Updating the contact', async () => {
          const engine = engineOf(req.connectionId);
          const user = parseUser(req.address);
          if (req.action === 'add' || req.action === 'accept') await engine.addFriend(user);
          else await engine.friendOp(req.action, user);
          return { done: true as const };
        }),
      'chat.memo': (req) => run('Saving the memo name', async () => (await engineOf(req.connectionId).memo(parseUser(req.address), req.memo), { done: true as const })),
      'chat.privacy': (req) =>
        run('Saving privacy settings', async () => {
          await engineOf(req.connectionId).setPrivacy({ allowAttention: req.allowAttention, allowGreeting: req.allowGreeting, allowAutoFriend: req.allowAutoFriend });
          return { done: true as const };
        }),
      'chat.safety': (req) =>
        run('Computing safety numbers', async () => {
          const engine = engineOf(req.connectionId);
          const user = parseUser(req.address);
          const devices = await engine.safety(user);
          return { address: req.address, verified: engine.store.contact(user)?.verified ?? false, devices };
        }),
      'chat.setVerified': (req) => {
        const engine = engineOf(req.connectionId);
        const user = parseUser(req.address);
        const contact = engine.store.contact(user) ?? { ...user, nickname: '', memo: '', status: 0, blocked: false, verified: false, modified: Date.now() };
        engine.store.upsertContact({ ...contact, verified: req.verified });
        emitChanged(req.connectionId);
        return { done: true as const };
      },
      'chat.createGroup': (req) =>
        run('Creating the group', async () => groupResult(req.connectionId, await engineOf(req.connectionId).createGroup(req.name, req.members.map(parseUser)))),
      'chat.groupMembers': (req) =>
        run('Changing members', async () => {
          const engine = engineOf(req.connectionId);
          if (req.add.length > 0) await engine.addMembers(req.groupId, req.add.map(parseUser));
          if (req.remove.length > 0) await engine.removeMembers(req.groupId, req.remove.map(parseUser));
          return groupResult(req.connectionId, req.groupId);
        }),
      'chat.renameGroup': (req) => run('Renaming the group', async () => (await engineOf(req.connectionId).renameGroup(req.groupId, req.name), groupResult(req.connectionId, req.groupId))),
      'chat.setManagers': (req) => run('Changing managers', async () => (await engineOf(req.connectionId).setManagers(req.groupId, req.managers.map(parseUser)), groupResult(req.connectionId, req.groupId))),
      'chat.leaveGroup': (req) => run('Leaving the group', async () => (await engineOf(req.connectionId).leaveGroup(req.groupId), { done: true as const })),
    },
  };
}

/** "Snapshot of Nano" (then the person's own words): what the picture shows, without opening it; the message carries the time. */
export function snapshotCaption(printer: string, caption: string): string {
  const head = `Snapshot of ${printer}`;
  return (caption.trim() ? `${head}: ${caption.trim()}` : head).slice(0, 8000);
}
