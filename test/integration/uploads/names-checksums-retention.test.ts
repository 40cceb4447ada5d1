import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Hub } from '../../../src/main/hub';
import type { UploadJobSummary } from '../../../src/shared/contract';
import { createTestHub, tempDir, type TestHub } from '../../support/test-hub';
import { callHub, startImssSandbox, verifyDelivery, waitFor } from '../../support/uploads-fixtures';

const TOKEN = 'imss-test-token-123';

/** What a browser does: stage the bytes over the WebSocket API, then add them with the file's own time. */
async function browserAdd(hub: Hub, connectionId: string, sessionId: string, files: { name: string; data: Buffer; modifiedAt?: number }[]) {
  const sources = [];
  for (const f of files) {
    const { stagedId, chunkBytes } = await callHub(hub, 'files.stageBegin', { name: f.name, size: f.data.length }, 'websocket');
    for (let offset = 0; offset < f.data.length; offset += chunkBytes) {
      await callHub(hub, 'files.stageChunk', { stagedId, offset, dataBase64: f.data.subarray(offset, offset + chunkBytes).toString('base64') }, 'websocket');
    }
    await callHub(hub, 'files.stageFinish', { stagedId }, 'websocket');
    sources.push({ kind: 'staged' as const, stagedId, ...(f.modifiedAt !== undefined ? { modifiedAt: f.modifiedAt } : {}) });
  }
  return callHub(hub, 'uploads.addImages', { connectionId, sessionId, files: sources }, 'websocket');
}

describe('uploads: what reaches the server, damaged bytes, refused tokens, local copies', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup() {
    const sandbox = await startImssSandbox(TOKEN);
    cleanups.push(() => sandbox.server.stop());
    const t: TestHub = await createTestHub();
    cleanups.push(() => t.close());
    const conn = await callHub(t.hub, 'connections.add', { kind: 'imss', name: 'Lab IMSS', address: sandbox.address, secret: TOKEN });
    const session = await callHub(t.hub, 'uploads.createSession', { connectionId: conn.id, name: 'Bench day' });
    return { sandbox: sandbox.server, t, hub: t.hub, connectionId: conn.id, sessionId: session.id };
  }

  async function deliver(hub: Hub, connectionId: string, sessionId: string, imageIds?: string[]): Promise<UploadJobSummary> {
    const job = await callHub(hub, 'uploads.createJob', { connectionId, sessionId, recipient: 'a@b.co', ...(imageIds ? { imageIds } : {}) });
    return waitFor(async () => {
      const j = (await callHub(hub, 'uploads.getJob', { jobId: job.id, offset: 0, limit: 10 })).job;
      return j.state === 'delivered' ? j : null;
    }, 20_000, 'delivered');
  }

  const ownedFiles = (t: TestHub) => {
    const dir = path.join(t.dataDir, 'uploads', 'files');
    return existsSync(dir) ? readdirSync(dir) : [];
  };

  it('a browser-added image reaches the server under its original name and capture time, with no local path', async () => {
    const { sandbox, t, hub, connectionId, sessionId } = await setup();
    const takenAt = Date.parse('2024-05-06T07:08:09.000Z');
    const added = await browserAdd(hub, connectionId, sessionId, [
      { name: 'Überprüfung_ß_04.jpg', data: randomBytes(20_000), modifiedAt: takenAt },
      // Another photo under the same name (a second camera): both must arrive, under distinct names.
      { name: 'Überprüfung_ß_04.jpg', data: randomBytes(30_000), modifiedAt: takenAt + 1000 },
    ]);
    expect(added.added.map((i) => i.name)).toEqual(['Überprüfung_ß_04.jpg', 'Überprüfung_ß_04 (2).jpg']);
    expect(added.added[0]!.createdAt).toBe(takenAt);
    // A file the desktop app names by path: only its name goes out too.
    const dir = tempDir('uploads-src-');
    const local = path.join(dir, 'bench-photo.png');
    writeFileSync(local, randomBytes(10_000));
    await callHub(hub, 'uploads.addImages', { connectionId, sessionId, files: [{ kind: 'path', path: local }] });

    await deliver(hub, connectionId, sessionId);
    const images = sandbox.state.getSession(sessionId).images;
    expect(images.map((i) => i.localPath).sort()).toEqual(['bench-photo.png', 'Überprüfung_ß_04 (2).jpg', 'Überprüfung_ß_04.jpg'].sort());
    expect(images.find((i) => i.localPath === 'Überprüfung_ß_04.jpg')?.createdAt?.getTime()).toBe(takenAt);
    for (const i of images) {
      expect(i.localPath).not.toMatch(/[/\\]/);
      expect(i.localPath).not.toContain(t.dataDir);
      expect(i.localPath).not.toContain(dir);
    }
  });

  it('bytes the server received damaged are sent again by itself, a bounded number of times, and say what happened', async () => {
    const { sandbox, hub, connectionId, sessionId } = await setup();
    const dir = tempDir('uploads-src-');
    const files = ['a.jpg', 'b.jpg'].map((n) => {
      const p = path.join(dir, n);
      writeFileSync(p, randomBytes(40_000));
      return p;
    });
    await callHub(hub, 'uploads.addImages', { connectionId, sessionId, files: [{ kind: 'path', path: files[0]! }] });
    sandbox.imssFaults.corruptStreamsLeft = 1;
    await deliver(hub, connectionId, sessionId); // no manual retry needed
    expect(sandbox.imssFaults.corruptStreamsLeft).toBe(0);
    expect(verifyDelivery(sandbox, [files[0]!])).toEqual({ lost: 0, duplicated: 0, mismatched: 0 });

    // A link that damages every send: the image fails after a few whole sends, in words.
    const { added } = await callHub(hub, 'uploads.addImages', { connectionId, sessionId, files: [{ kind: 'path', path: files[1]! }] });
    sandbox.imssFaults.corruptStreamsLeft = 1_000;
    const job = await callHub(hub, 'uploads.createJob', { connectionId, sessionId, recipient: 'a@b.co', imageIds: [added[0]!.id] });
    const failed = await waitFor(async () => {
      const d = await callHub(hub, 'uploads.getJob', { jobId: job.id, offset: 0, limit: 10 });
      return d.images.find((i) => i.state === 'error') ?? null;
    }, 20_000, 'the image to fail');
    const sends = 1_000 - sandbox.imssFaults.corruptStreamsLeft;
    expect(sends).toBeGreaterThan(1);
    expect(sends).toBeLessThanOrEqual(5);
    expect(failed.error).toMatch(/server's checksum of the bytes it received for b\.jpg did not match/);
    expect(failed.error).toMatch(/unchanged/);
    expect(failed.retryable).toBe(true);
    sandbox.imssFaults.corruptStreamsLeft = 0;
    await callHub(hub, 'uploads.retryImage', { jobId: job.id, imageId: failed.imageId });
    await waitFor(async () => (await callHub(hub, 'uploads.getJob', { jobId: job.id, offset: 0, limit: 1 })).job.state === 'delivered', 20_000, 'delivered');
  });

  it('a refused token is said to be refused, not "offline"', async () => {
    const { hub, connectionId } = await setup();
    expect(await callHub(hub, 'uploads.listSessions', { connectionId })).toMatchObject({ offline: false, credentialsRefused: false, problem: null });
    hub.connections.update({ id: connectionId, secret: 'wrong-token-xxxxxxxx' });
    const refused = await callHub(hub, 'uploads.listSessions', { connectionId });
    expect(refused).toMatchObject({ offline: false, credentialsRefused: true, problem: expect.stringMatching(/refused Printdeck's credentials/) });
    expect(refused.sessions).toHaveLength(1); // what Printdeck knows is still shown
  });

  it('deletes delivered copies (keeping the newest N if asked), shows the usage, and keeps undelivered ones under the budget', async () => {
    const { t, hub, connectionId, sessionId } = await setup();
    const status0 = await callHub(hub, 'uploads.status', {});
    expect(status0.retention).toMatchObject({ deleteDelivered: true, keepLast: 0 });
    expect(status0.storage).toMatchObject({ files: 0, bytes: 0 });

    await callHub(hub, 'uploads.configure', { retention: { keepLast: 1 } });
    const first = await browserAdd(hub, connectionId, sessionId, [
      { name: 'one.jpg', data: randomBytes(100_000) },
      { name: 'two.jpg', data: randomBytes(100_000) },
      { name: 'three.jpg', data: randomBytes(100_000) },
    ]);
    expect(ownedFiles(t)).toHaveLength(3);
    expect((await callHub(hub, 'uploads.status', {})).storage).toMatchObject({ files: 3, bytes: 300_000, deliveredFiles: 0 });
    await deliver(hub, connectionId, sessionId);
    // Delivered: only the newest copy is kept (keep 1).
    await waitFor(() => ownedFiles(t).length === 1, 5000, 'delivered copies deleted');
    expect((await callHub(hub, 'uploads.status', {})).storage).toMatchObject({ files: 1, bytes: 100_000, deliveredFiles: 1 });
    expect(first.added).toHaveLength(3);
    // The images stay listed (history, thumbnails); a new job does not pick the ones whose copy is gone.
    expect((await callHub(hub, 'uploads.listImages', { connectionId, sessionId, offset: 0, limit: 10 })).total).toBe(3);

    // Keep delivered copies, with a 1 MB budget: undelivered copies are never deleted, a new one is refused...
    await callHub(hub, 'uploads.configure', { retention: { deleteDelivered: false, keepLast: 0, budgetMb: 1 } });
    const waiting = await browserAdd(hub, connectionId, sessionId, [
      { name: 'w1.jpg', data: randomBytes(500_000) },
      { name: 'w2.jpg', data: randomBytes(500_000) },
    ]);
    expect(waiting.added).toHaveLength(2);
    // The budget took the delivered copy to make room.
    expect((await callHub(hub, 'uploads.status', {})).storage).toMatchObject({ files: 2, bytes: 1_000_000, deliveredFiles: 0 });
    const over = await browserAdd(hub, connectionId, sessionId, [{ name: 'w3.jpg', data: randomBytes(500_000) }]);
    expect(over.added).toHaveLength(0);
    expect(over.failed[0]?.message).toMatch(/none of them is delivered yet/);
    expect(ownedFiles(t)).toHaveLength(2);
    // ...until they are delivered: then the delivered ones make room, oldest first.
    await deliver(hub, connectionId, sessionId, waiting.added.map((i) => i.id));
    expect(ownedFiles(t)).toHaveLength(2); // kept: deleteDelivered is off and there is room
    const later = await browserAdd(hub, connectionId, sessionId, [{ name: 'w3.jpg', data: randomBytes(500_000) }]);
    expect(later.added).toHaveLength(1);
    const storage = (await callHub(hub, 'uploads.status', {})).storage;
    expect(storage.bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(storage).toMatchObject({ files: 2, deliveredFiles: 1 });
  });
});
