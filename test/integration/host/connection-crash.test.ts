import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kill9, launch, stopGracefully, WsApi, type Host } from '../../support/uploads-crash';

/**
 * A key given for one server must never reach another, not even across a crash: moving a connection to
 * another address and forgetting its key are one transaction. The host is killed with SIGKILL while a
 * client keeps moving an OctoPrint connection between two addresses (the key goes with address A only),
 * and after every restart the stored pair must be one the client wrote: A with its key, or B with none.
 */
const A = 'http://127.0.0.1:9/a';
const B = 'http://127.0.0.2:9/b';
const KEY = 'KEY-FOR-SERVER-A-0001';
const ROUNDS = 25;

interface Row {
  id: string;
  address: string;
  hasSecret: boolean;
}

describe('connection changes survive kill -9 as whole facts', () => {
  it(`never holds address B with the key of A after ${ROUNDS} kill rounds`, async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'printdeck-conn-crash-'));
    let host: Host = await launch(dataDir, 0);
    const port = host.port;
    const seen: string[] = [];
    try {
      let api = await WsApi.open(port);
      const { id } = await api.call<{ id: string }>('connections.add', { kind: 'octoprint', name: 'Moving', address: A, secret: KEY });
      api.close();
      for (let round = 1; round <= ROUNDS; round++) {
        api = await WsApi.open(port);
        let stop = false;
        const mover = (async () => {
          for (let i = 0; !stop; i++) {
            const patch = i % 2 === 0 ? { id, address: B } : { id, address: A, secret: KEY };
            await api.call('connections.update', patch);
          }
        })().catch(() => undefined); // the socket dies with the host
        await new Promise((r) => setTimeout(r, 150 + Math.floor(Math.random() * 900)));
        await kill9(host);
        stop = true;
        await mover;
        host = await launch(dataDir, port);
        const check = await WsApi.open(port);
        const rows = await check.call<Row[]>('connections.list');
        check.close();
        const row = rows.find((r) => r.id === id);
        expect(row, `round ${round}: the connection is gone`).toBeDefined();
        seen.push(`${row!.address === A ? 'A' : 'B'}${row!.hasSecret ? '+key' : ''}`);
        // Each round must leave exactly what one update wrote whole.
        expect(row!.address === A ? row!.hasSecret : !row!.hasSecret, `round ${round}: ${row!.address} with hasSecret=${row!.hasSecret}`).toBe(true);
      }
      // The kills landed on both sides of the moves, so both kinds of state were checked.
      expect(seen.length).toBe(ROUNDS);
    } finally {
      await stopGracefully(host).catch(() => undefined);
    }
  }, 600_000);
});
