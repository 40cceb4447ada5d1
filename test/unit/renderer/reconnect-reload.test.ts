// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { setClient } from '../../../src/renderer/api';
import { subscribeChat, useChatStore } from '../../../src/renderer/views/chat/chat-store';
import { subscribeUploads, useUploadsStore } from '../../../src/renderer/views/uploads/uploads-store';
import { fakeClient } from './fake-client';

// While the link is down (e.g. the host closed a slow client), events are lost: what the screens
// show must come back from a reload when the link opens again.

const offs: (() => void)[] = [];
afterEach(() => {
  for (const off of offs.splice(0)) off();
  useChatStore.setState({ accounts: [], connectionId: null, overview: null, selected: null, messages: {} });
  useUploadsStore.setState({ connectionId: null, status: null, sessions: [], selectedSessionId: null, images: [], imageTotal: 0, jobs: {}, jobImages: {} });
});

describe('stores after a reconnect', () => {
  it('chat reloads its account, overview and the open conversation', async () => {
    const server = { status: 'offline' as 'offline' | 'online', outbox: 2, texts: ['hello'] };
    const account = () => ({ connectionId: 'chat-1', name: 'Team', address: 'grpc://127.0.0.1:7500', demo: false, status: server.status, me: null });
    const message = (text: string, i: number) => ({
      id: `m${i}`,
      conversation: { type: 'user' as const, id: 'ana@example' },
      sender: 'ana@example',
      direction: 'in' as const,
      kind: 'text' as const,
      text,
      mime: null,
      imageBytes: 0,
      state: 'received' as const,
      sentAt: i,
      createdAt: i,
    });
    const fake = fakeClient({
      'chat.accounts': () => [account()],
      'chat.overview': () => ({ account: account(), conversations: [], contacts: [], groups: [], devices: [], outbox: server.outbox }),
      'chat.messages': () => server.texts.map(message),
      'chat.markRead': () => ({ done: true }),
    });
    setClient(fake.client);
    offs.push(subscribeChat());
    await expect.poll(() => useChatStore.getState().overview?.outbox).toBe(2);
    await useChatStore.getState().select({ type: 'user', id: 'ana@example' });

    fake.setStatus('closed');
    server.status = 'online';
    server.outbox = 0;
    server.texts = ['hello', 'are you there?'];
    fake.setStatus('open');

    await expect.poll(() => useChatStore.getState().accounts[0]?.status).toBe('online');
    await expect.poll(() => useChatStore.getState().overview?.outbox).toBe(0);
    await expect.poll(() => useChatStore.getState().messages['user:ana@example']?.map((m) => m.text)).toEqual(['hello', 'are you there?']);
  });

  it('uploads reloads its status, jobs and the selected server’s sessions', async () => {
    const session = (id: string) => ({ connectionId: 'imss-1', id, name: id, completed: false, createdAt: 1, finishedAt: null, imageCount: 0 });
    const server = { circuit: 'down' as 'down' | 'ok', sessions: [session('s1')] };
    const fake = fakeClient({
      'uploads.status': () => ({
        servers: [{ connectionId: 'imss-1', name: 'Images', circuit: server.circuit, message: null, activeSessionId: null }],
        concurrency: 2,
        inFlight: 0,
        watches: [],
        timelapses: [],
        retention: { deleteDelivered: true, keepLast: 0, budgetMb: 2048 },
        storage: { files: 0, bytes: 0, deliveredFiles: 0, deliveredBytes: 0, budgetBytes: 2048 * 1024 * 1024 },
      }),
      'uploads.listJobs': () => [],
      'uploads.listSessions': () => ({ sessions: server.sessions, offline: false, credentialsRefused: false, problem: null }),
      'uploads.listImages': () => ({ images: [], total: 0 }),
    });
    setClient(fake.client);
    offs.push(subscribeUploads());
    useUploadsStore.getState().selectConnection('imss-1');
    await expect.poll(() => useUploadsStore.getState().sessions.map((s) => s.id)).toEqual(['s1']);
    expect(useUploadsStore.getState().status?.servers[0]?.circuit).toBe('down');

    fake.setStatus('closed');
    server.circuit = 'ok';
    server.sessions = [session('s2'), session('s1')];
    fake.setStatus('open');

    await expect.poll(() => useUploadsStore.getState().sessions.map((s) => s.id)).toEqual(['s2', 's1']);
    await expect.poll(() => useUploadsStore.getState().status?.servers[0]?.circuit).toBe('ok');
  });

  it('stops following main once unsubscribed', async () => {
    const fake = fakeClient({ 'chat.accounts': () => [] });
    setClient(fake.client);
    const off = subscribeChat();
    await expect.poll(() => fake.calls.filter((c) => c.method === 'chat.accounts').length).toBe(1);
    off();
    fake.setStatus('closed');
    fake.setStatus('open');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(fake.calls.filter((c) => c.method === 'chat.accounts')).toHaveLength(1);
  });
});
