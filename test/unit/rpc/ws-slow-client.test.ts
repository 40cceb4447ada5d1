import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventHub } from '../../../src/main/events/event-hub';
import { serveWebSocketClient } from '../../../src/main/host/ws-transport';
import type { CallContext, Registrar } from '../../../src/main/rpc/registrar';
import type { Result } from '../../../src/shared/rpc/result';
import { silentLogger } from '../../support/test-hub';

/** Just enough of a `ws` socket to drive the host's client loop: what it is sent and how it is closed. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  sent: string[] = [];
  closedWith: number | null = null;
  terminated = false;
  paused = false;
  send(data: string): void {
    this.sent.push(data);
  }
  close(code: number): void {
    this.closedWith = code;
    this.readyState = 2; // CLOSING: a client that does not read never acknowledges
  }
  terminate(): void {
    this.terminated = true;
    this.readyState = 3;
    this.emit('close');
  }
  pause(): void {
    this.paused = true;
  }
  ping(): void {}
}

const call = (id: number, method = 'app.info') => Buffer.from(JSON.stringify({ t: 'call', id, method, payload: {} }));

describe('a client the host closes for not reading', () => {
  afterEach(() => vi.useRealTimers());

  it('stops its work: in-flight calls aborted, no more calls run, nothing more queued, socket cut after a grace', async () => {
    vi.useFakeTimers();
    const seen: CallContext[] = [];
    let finishHeld!: () => void;
    const registrar: Registrar = {
      dispatch: vi.fn((_m: unknown, _p: unknown, ctx: CallContext): Promise<Result<unknown>> => {
        seen.push(ctx);
        if (seen.length > 1) return Promise.resolve({ ok: true, value: 'quick' });
        return new Promise((resolve) => (finishHeld = () => resolve({ ok: true, value: 'x'.repeat(1000) })));
      }),
    };
    const events = new EventHub({ tickMs: 10 });
    const ws = new FakeSocket();
    serveWebSocketClient(ws as unknown as WebSocket, registrar, events, silentLogger(), 'test');
    ws.emit('message', call(1), false);
    expect(seen).toHaveLength(1);

    // The client stops reading: more than the host will buffer is waiting for it when the next answer is ready.
    ws.bufferedAmount = 64 * 1024 * 1024;
    ws.emit('message', call(2), false);
    await vi.advanceTimersByTimeAsync(20);
    expect(ws.closedWith).toBe(4008);
    expect(seen[0]!.signal?.aborted).toBe(true);
    expect(events.sinkCount).toBe(0);

    const sentBefore = ws.sent.length;
    ws.emit('message', call(3), false);
    expect(registrar.dispatch).toHaveBeenCalledTimes(2);
    finishHeld();
    await vi.advanceTimersByTimeAsync(0);
    expect(ws.sent.length).toBe(sentBefore);

    await vi.advanceTimersByTimeAsync(10_000);
    expect(ws.terminated).toBe(true);
  });
});
