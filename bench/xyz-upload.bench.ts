import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { TcpFaultProxy } from '../sim/faults/tcp-fault-proxy';
import { hasSocat, PtyLink } from '../sim/xyz/pty-link';
import { XyzSimulator } from '../sim/xyz/simulator';
import { parseXyzAddress, V3_TIMEOUTS } from '../src/main/printers/xyz/driver';
import { connectBackend } from '../src/main/printers/xyz/driver/connect';
import { memorySource } from '../src/main/printers/xyz/driver/upload-source';
import { SerialTransport, TcpTransport, type XyzByteTransport } from '../src/main/printers/xyz/transport';
import { encodeRequest, encodeUploadBlocks, uploadRequest } from '../src/main/printers/xyz/protocol';
import type { BenchResult, BenchSuite } from './lib/types';

const FILE_BYTES = 4 * 1024 * 1024;
const ROUNDS = 3;
/** The driver against a bare stop-and-wait loop over the same link; a pty costs a little more per write. */
const STOP_AND_WAIT_TARGET = { tcp: 0.9, pty: 0.85 } as const;

/** Raw: the same bytes written as fast as the link takes them, counted on the far side. */
async function rawMbps(open: () => Promise<{ transport: XyzByteTransport; received: () => number; stop: () => Promise<void> }>, bytes: Uint8Array): Promise<number> {
  const { transport, received, stop } = await open();
  await transport.open();
  const started = process.hrtime.bigint();
  // Written in 8 KiB pieces like the upload, but without waiting for any answer.
  for (let at = 0; at < bytes.length; at += 8192) await transport.write(bytes.subarray(at, at + 8192));
  while (received() < bytes.length) await new Promise((r) => setImmediate(r));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await transport.close();
  await stop();
  return bytes.length / 1e6 / seconds;
}

/** Through the driver: `upload=` + one block in flight with its `ok` + CRC trailers. */
async function driverMbps(address: string, bytes: Uint8Array): Promise<number> {
  const { backend } = await connectBackend(parseXyzAddress(address), { protocol: 'v3', model: undefined, v3Timeouts: V3_TIMEOUTS });
  let started = 0n;
  let ended = 0n;
  let failure: Error | null = null;
  const done = new Promise<void>((resolve) => {
    void backend.upload(
      memorySource('bench.3w', bytes, 'v5'),
      (sent) => {
        if (started === 0n) started = process.hrtime.bigint();
        if (sent === bytes.length) {
          ended = process.hrtime.bigint();
          resolve();
        }
      },
      new AbortController().signal,
    ).catch((err: unknown) => {
      // Closing after the last block cuts the optional uploadDidFinish drain; only earlier failures count.
      if (ended === 0n) failure = err instanceof Error ? err : new Error(String(err));
      resolve();
    });
  });
  const t0 = process.hrtime.bigint();
  await done;
  await backend.close();
  if (failure) throw failure;
  return bytes.length / 1e6 / (Number((ended || process.hrtime.bigint()) - t0) / 1e9);
}

/**
 * The protocol's own ceiling: a bare loop doing what the protocol allows (the upload command, then one
 * 8 KiB block in flight at a time until its `ok`), with no parser, state machine or progress. The
 * driver's ratio to this is its own overhead; its ratio to raw writes is mostly the protocol's.
 */
async function stopAndWaitMbps(open: () => Promise<XyzByteTransport>, link: 'tcp' | 'usb', bytes: Uint8Array): Promise<number> {
  const transport = await open();
  await transport.open();
  let oks = 0;
  let tail = '';
  let wake: (() => void) | null = null;
  transport.onData((chunk) => {
    const text = tail + Buffer.from(chunk).toString('latin1');
    oks += text.split('ok').length - 1;
    tail = text.slice(-1);
    wake?.();
  });
  const waitOk = async (n: number): Promise<void> => {
    while (oks < n) await new Promise<void>((r) => (wake = r));
  };
  const started = process.hrtime.bigint();
  await transport.write(encodeRequest(uploadRequest('bench.3w', bytes.length), link));
  await waitOk(1);
  let expected = 1;
  for (const block of encodeUploadBlocks(bytes)) {
    await transport.write(block.wire);
    await waitOk(++expected);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await transport.close();
  return bytes.length / 1e6 / seconds;
}

async function tcpSink(): Promise<{ port: number; received: () => number; stop: () => Promise<void> }> {
  let count = 0;
  const server = net.createServer((s) => s.on('data', (d: Buffer) => (count += d.length)).on('error', () => undefined));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const proxy = new TcpFaultProxy({ target: { host: '127.0.0.1', port: (server.address() as net.AddressInfo).port } });
  await proxy.start();
  return { port: proxy.port, received: () => count, stop: async () => { await proxy.stop(); await new Promise((r) => server.close(r)); } };
}

async function best(run: () => Promise<number>): Promise<number> {
  let top = 0;
  for (let i = 0; i < ROUNDS; i++) top = Math.max(top, await run());
  return top;
}

const suite: BenchSuite = {
  prefix: 'xyz',
  async run(): Promise<BenchResult[]> {
    const bytes = new Uint8Array(randomBytes(FILE_BYTES));
    const results: BenchResult[] = [];
    // Only the driver's own overhead has a target: the protocol allows one block in flight, so the
    // ratio to a raw link write measures the protocol, not the driver, and is shown for information.
    const push = (name: 'tcp' | 'pty', driver: number, raw: number, stopAndWait: number): void => {
      results.push({ name: `xyz.upload_${name}_mbps`, value: Math.round(driver * 10) / 10, unit: 'MB/s', target: null, better: 'higher' });
      results.push({ name: `xyz.upload_${name}_raw_mbps`, value: Math.round(raw * 10) / 10, unit: 'MB/s', target: null, better: 'higher' });
      results.push({ name: `xyz.upload_${name}_ratio`, value: Math.round((driver / raw) * 100) / 100, unit: 'ratio', target: null, better: 'higher' });
      results.push({ name: `xyz.upload_${name}_stop_and_wait_mbps`, value: Math.round(stopAndWait * 10) / 10, unit: 'MB/s', target: null, better: 'higher' });
      results.push({ name: `xyz.upload_${name}_ratio_to_stop_and_wait`, value: Math.round((driver / stopAndWait) * 100) / 100, unit: 'ratio', target: STOP_AND_WAIT_TARGET[name], better: 'higher' });
    };

    // TCP 9100 through the fault proxy (no faults), the way the demo printers are reached.
    const tcpRaw = await best(() => rawMbps(async () => {
      const sink = await tcpSink();
      return { transport: new TcpTransport({ host: '127.0.0.1', port: sink.port }), received: sink.received, stop: sink.stop };
    }, bytes));
    // A fresh printer per round: after an upload the printer is busy checking the file.
    const tcpDriver = await best(async () => {
      const sim = await XyzSimulator.start({ transport: 'tcp', model: 'dv1MW0A000' });
      try {
        return await driverMbps(sim.address, bytes);
      } finally {
        await sim.stop();
      }
    });
    const tcpStopAndWait = await best(async () => {
      const sim = await XyzSimulator.start({ transport: 'tcp', model: 'dv1MW0A000' });
      try {
        const { hostname, port } = new URL(sim.address);
        return await stopAndWaitMbps(async () => new TcpTransport({ host: hostname, port: Number(port) }), 'tcp', bytes);
      } finally {
        await sim.stop();
      }
    });
    push('tcp', tcpDriver, tcpRaw, tcpStopAndWait);

    if (hasSocat()) {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'printdeck-bench-'));
      const ptyRaw = await best(() => rawMbps(async () => {
        let count = 0;
        const link = new PtyLink(path.join(dir, 'raw-host'), path.join(dir, 'raw-sim'), (c) => (count += c.length), () => undefined);
        await link.plug();
        return { transport: new SerialTransport(link.hostPath), received: () => count, stop: () => link.unplug() };
      }, bytes));
      const ptyDriver = await best(async () => {
        const sim = await XyzSimulator.start({ transport: 'pty', model: 'dv1NX0A000', workDir: dir });
        try {
          return await driverMbps(sim.address, bytes);
        } finally {
          await sim.stop();
        }
      });
      const ptyStopAndWait = await best(async () => {
        const sim = await XyzSimulator.start({ transport: 'pty', model: 'dv1NX0A000', workDir: dir });
        try {
          return await stopAndWaitMbps(async () => new SerialTransport(new URL(sim.address).pathname), 'usb', bytes);
        } finally {
          await sim.stop();
        }
      });
      push('pty', ptyDriver, ptyRaw, ptyStopAndWait);
    } else {
      console.warn('[xyz bench] socat is not installed: the pty figures are skipped.');
    }
    return results;
  },
};

export default suite;
