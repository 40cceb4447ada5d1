import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { writeHeapSnapshot } from 'node:v8';
import { SkiserverSandbox } from './skiserver-sandbox';

/**
 * Runs the sandbox Skiserver as its own process: `tsx sim/skiserver/run-sandbox.ts <workDir>`. Prints
 * `PORT <n>` once listening. On the stdin line `dump` it writes a V8 heap snapshot and every byte the
 * server holds (all Buffers and strings reachable from its state) into workDir and prints `DUMPED <files>`;
 * the plaintext-never-on-server test searches those files.
 */

function collectBytes(value: unknown, out: Buffer[], seen: Set<object>): void {
  if (typeof value === 'string') out.push(Buffer.from(value, 'utf8'));
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  if (value instanceof Uint8Array) {
    out.push(Buffer.from(value));
    return;
  }
  const entries = value instanceof Map ? [...value.entries()] : value instanceof Set ? [...value.values()] : Object.values(value);
  for (const entry of entries) collectBytes(entry, out, seen);
}

async function main(): Promise<void> {
  const workDir = process.argv[2];
  if (!workDir) throw new Error('usage: run-sandbox.ts <workDir>');
  const server = new SkiserverSandbox({ workDir, heartbeatMs: 1000 });
  const port = await server.start();
  process.stdout.write(`PORT ${port}\n`);
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line.trim() === 'dump') {
      server.state.saveNow();
      const parts: Buffer[] = [];
      collectBytes(server.state, parts, new Set());
      const structures = path.join(workDir, 'structures.bin');
      writeFileSync(structures, Buffer.concat(parts));
      const heap = writeHeapSnapshot(path.join(workDir, 'server.heapsnapshot'));
      process.stdout.write(`DUMPED ${heap} ${structures}\n`);
    }
    if (line.trim() === 'quit') void server.stop().then(() => process.exit(0));
  });
}

void main();
