import { describe, expect, it } from 'vitest';
import {
  concatBytes,
  latin1Text,
  XyzReplyCollector,
  XyzReplyParser,
  type XyzExpectation,
  type XyzReply,
} from '../../../src/main/printers/xyz/protocol';
import { SimPrinter } from '../../../sim/xyz/sim-printer';
import { V3Endpoint, NO_WIRE_FAULTS } from '../../../sim/xyz/v3-endpoint';
import { captureExchanges, loadNanoCapture } from '../../support/xyz-capture';

/** Keys whose values do not change between two polls of an idle nano (CAP). */
const STATIC_KEYS = ['b', 'c', 'w', 'e', 'f', 'i', 'm', 'o', 'p', 's', 'v', 'n', 'X', 'l', 'z'];

function expectationOf(host: Uint8Array, blockIndex: number): XyzExpectation {
  const text = latin1Text(host);
  if (!text.startsWith('XYZv3/')) return { verb: 'block', index: blockIndex };
  if (text.startsWith('XYZv3/query=')) return { verb: 'query', keys: text.slice('XYZv3/query='.length) };
  if (text.startsWith('XYZv3/config=')) return { verb: 'config', command: text.slice('XYZv3/config='.length) };
  if (text.startsWith('XYZv3/upload=')) return { verb: 'upload', fileName: 'x.3w', size: 1, saveToSd: false };
  return { verb: 'uploadDidFinish' };
}

function read(expectation: XyzExpectation, bytes: Uint8Array): XyzReply {
  const parser = new XyzReplyParser();
  const collector = new XyzReplyCollector(expectation, 'usb');
  for (const event of parser.feed(bytes)) {
    const step = collector.accept(event);
    if (step.status === 'done') return step.reply;
  }
  return collector.settle();
}

function fieldMap(reply: XyzReply): Map<string, string> {
  return new Map(reply.kind === 'fields' ? reply.fields.map((f) => [f.key, f.value]) : []);
}

describe('the simulated nano answers the official client as the real nano did (CAP replay)', () => {
  it('replays every write of the capture and gets the same kind of answer, byte-compatible statics', () => {
    const printer = new SimPrinter({
      model: 'dv1NX0A000',
      serial: '3FNAXPUS5TH7CM0041',
      name: 'daVinci Nano    ',
      filamentMm: 1_100_000,
      timeScale: 1000,
      fileCheckSec: 5,
      lastPrintFile: 'AstroKey.3w',
    });
    let out: Uint8Array[] = [];
    const endpoint = new V3Endpoint(printer, 'usb', (b) => out.push(b), () => ({ ...NO_WIRE_FAULTS }));
    const exchanges = captureExchanges(loadNanoCapture());
    let block = 0;
    let compared = 0;
    let rejectedByNano = 0;
    let firstIdle: Map<string, string> | null = null;
    const statesSeen = new Set<string>();
    for (const exchange of exchanges) {
      out = [];
      endpoint.receive(exchange.host);
      endpoint.flush();
      const expectation = expectationOf(exchange.host, block);
      if (expectation.verb === 'block') block++;
      const real = read(expectation, concatBytes(exchange.printer));
      const sim = read(expectation, concatBytes(out));
      // At the end of the print the nano refused everything for a while (E7, then E4); the
      // simulated print runs on its own clock, so those exchanges are not compared one to one.
      if (real.kind === 'rejected') {
        rejectedByNano++;
        continue;
      }
      // Same verdict: fields / ok / binary / named / nothing.
      expect(sim.kind, `answer to ${latin1Text(exchange.host.subarray(0, 30))}`).toBe(real.kind);
      if (real.kind === 'binary' && sim.kind === 'binary') expect(sim.bytes.length).toBe(real.bytes.length);
      if (real.kind === 'named' && sim.kind === 'named') expect(sim.value).toBe(real.value);
      if (expectation.verb === 'query' && expectation.keys === 'Z') expect(fieldMap(sim)).toEqual(fieldMap(real));
      if (real.kind === 'fields' && expectation.verb === 'query' && expectation.keys === 'a') {
        const realFields = fieldMap(real);
        const simFields = fieldMap(sim);
        expect([...simFields.keys()]).toEqual([...realFields.keys()]);
        statesSeen.add((simFields.get('j') ?? '').split(',')[0] ?? '');
        if (!firstIdle) {
          firstIdle = simFields;
          for (const key of STATIC_KEYS) expect(simFields.get(key), key).toBe(realFields.get(key));
          compared++;
        }
      }
    }
    expect(block).toBe(46);
    expect(rejectedByNano).toBe(12);
    expect(compared).toBe(1);
    // The uploaded AstroKe.3w was decrypted, validated as a nano v5 file and printed.
    expect(printer.received.map((r) => r.container)).toEqual(['v5']);
    expect(statesSeen).toContain('9511');
    expect([...statesSeen].some((s) => s === '9520' || s === '9501' || s === '9505')).toBe(true);
    endpoint.close();
  });
});
