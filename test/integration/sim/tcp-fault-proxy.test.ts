import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TcpFaultProxy } from '../../../sim/faults/tcp-fault-proxy';

/** An echo server: whatever reaches it comes back, so the proxy's effect is visible end to end. */
async function echoServer(): Promise<net.Server> {
  const server = net.createServer((s) => s.pipe(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

function nextData(s: net.Socket): Promise<Buffer> {
  return new Promise((resolve) => s.once('data', resolve));
}

describe('TcpFaultProxy', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c();
  });

  async function setup() {
    const echo = await echoServer();
    const proxy = new TcpFaultProxy({ target: { host: '127.0.0.1', port: (echo.address() as net.AddressInfo).port } });
    await proxy.start();
    cleanup.push(() => proxy.stop(), () => new Promise((r) => echo.close(r)));
    return proxy;
  }

  it('forwards bytes both ways unchanged', async () => {
    const proxy = await setup();
    const s = await connect(proxy.port);
    s.write('hello');
    expect((await nextData(s)).toString()).toBe('hello');
    s.destroy();
  });

  it('adds latency', async () => {
    const proxy = await setup();
    proxy.inject({ type: 'delay', ms: 150 });
    const s = await connect(proxy.port);
    const t0 = performance.now();
    s.write('x');
    await nextData(s);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(280); // both directions
    expect(proxy.active()).toContain('delay 150 ms');
    s.destroy();
  });

  it('drops live connections', async () => {
    const proxy = await setup();
    const s = await connect(proxy.port);
    const closed = new Promise((r) => s.once('close', r));
    proxy.inject({ type: 'drop' });
    await closed;
  });

  it('prefixes the next reply with garbage, once', async () => {
    const proxy = await setup();
    const s = await connect(proxy.port);
    proxy.inject({ type: 'garbage', bytes: 16 });
    s.write('ok');
    let got = Buffer.alloc(0);
    while (got.length < 18) got = Buffer.concat([got, await nextData(s)]);
    expect(got.length).toBe(18);
    expect(got.subarray(16).toString()).toBe('ok');
    s.write('again');
    expect((await nextData(s)).toString()).toBe('again');
    s.destroy();
  });

  it('restarts: refuses connections while down, then listens on the same port', async () => {
    const proxy = await setup();
    const port = proxy.port;
    const restarting = proxy.restart(300);
    await new Promise((r) => setTimeout(r, 50));
    await expect(connect(port)).rejects.toThrow(/ECONNREFUSED/);
    await restarting;
    const s = await connect(port);
    s.write('back');
    expect((await nextData(s)).toString()).toBe('back');
    s.destroy();
  });

  it('black-holes traffic until cleared', async () => {
    const proxy = await setup();
    proxy.inject({ type: 'blackhole', on: true });
    const s = await connect(proxy.port);
    s.write('void');
    const nothing = await Promise.race([nextData(s).then(() => 'data'), new Promise((r) => setTimeout(() => r('silence'), 200))]);
    expect(nothing).toBe('silence');
    proxy.inject({ type: 'clear' });
    s.write('hi');
    expect((await nextData(s)).toString()).toBe('hi');
    s.destroy();
  });
});
