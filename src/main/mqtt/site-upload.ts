import { randomUUID } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { AppError } from '../../shared/rpc/result';
import type { PrintRequest, TransferProgress } from '../devices/driver';
import type { CommandReply } from './payloads';
import { sha256Of } from './sha256';

/** How the upload reaches the other host: one `print` message out, its reply back (site-provider.ts). */
export interface UploadLink {
  /** Publishes one message and waits for the reply with that id: `lost` when the broker went first, `timeout` when nothing came. */
  ask(id: string, payload: string | Buffer, userProperties: Record<string, string> | null, timeoutMs: number): Promise<CommandReply | 'lost' | 'timeout'>;
  /** Resolves true once connected to the broker, false when it did not come back within `ms`. */
  whenConnected(ms: number): Promise<boolean>;
  /** Whether the printer shows a job of this name running: a commit whose reply was lost may have started it. */
  showsJob(name: string): boolean;
}

export interface UploadTuning {
  /** Bytes per message; the broker's message limit must allow this. */
  chunkBytes?: number;
  /** Chunks in flight at once (a broker's receive maximum, 20 on Mosquitto, bounds it). */
  window?: number;
  /** How long a lost broker is waited for, each time, before the upload fails cleanly. */
  graceMs?: number;
  /** How long one reply is waited for. */
  replyMs?: number;
  /** How long the commit's reply is waited for (the other host sends the file on to its printer first). */
  commitMs?: number;
}

const MAX_TRIES = 8;

/**
 * Sends a print file to a printer of another site over MQTT and resolves once that host's printer
 * accepted the job (docs/mqtt.md, "Printing from another site"). Each message is acknowledged on the
 * printer's reply topic with the bytes the other host holds, a few chunks in flight at once, so after
 * a broker cut the upload goes on from there. The commit names the upload, and the other host prints an
 * upload once however often its commit arrives, so repeating it is safe: a job never starts twice.
 */
export async function uploadPrint(
  link: UploadLink,
  request: PrintRequest,
  onProgress: (p: TransferProgress) => void,
  signal: AbortSignal,
  tuning: UploadTuning = {},
): Promise<void> {
  const chunkBytes = tuning.chunkBytes ?? 128 * 1024;
  const graceMs = tuning.graceMs ?? 60_000;
  const replyMs = tuning.replyMs ?? 15_000;
  const window = Math.max(1, tuning.window ?? 8);
  const size = (await stat(request.path)).size;
  if (size === 0) throw new AppError('BAD_REQUEST', `${request.name} is empty.`);
  const sha256 = await sha256Of(request.path);
  const upload = randomUUID();

  const ask = async (payload: (id: string) => string | Buffer, props: Record<string, string> | null, timeoutMs: number): Promise<CommandReply> => {
    for (let tries = 1; ; tries++) {
      if (signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
      if (!(await link.whenConnected(graceMs))) {
        throw new AppError('UNAVAILABLE', `The broker was gone for more than ${Math.round(graceMs / 1000)} s; the upload of ${request.name} stopped.`);
      }
      const id = randomUUID();
      const reply = await link.ask(id, payload(id), props ? { ...props, id } : null, timeoutMs);
      if (typeof reply === 'object') return reply;
      if (tries >= MAX_TRIES) throw new AppError('TIMEOUT', `The printer’s host stopped answering while ${request.name} was on its way.`);
    }
  };
  const fail = (reply: CommandReply): never => {
    throw new AppError(reply.error?.code ?? 'INTERNAL', reply.error?.message ?? 'The printer’s host refused the file.');
  };

  // Begin, and begin again after any trouble: the answer is how much of the file the other host holds.
  const where = async (): Promise<number> => {
    const reply = await ask((id) => JSON.stringify({ op: 'begin', id, upload, name: request.name, size, sha256 }), null, replyMs);
    if (!reply.ok) fail(reply);
    return reply.received ?? 0;
  };
  let held = await where();
  onProgress({ phase: 'uploading', sentBytes: held, totalBytes: size });
  const file = await open(request.path, 'r');
  try {
    let resyncs = 0;
    while (held < size) {
      // Up to `window` chunks in flight, so the upload does not pay a broker round trip per chunk; the
      // receiver takes them strictly in order and answers each with the bytes it holds.
      let next = held;
      const flight: { end: number; reply: Promise<CommandReply | 'lost' | 'timeout'> }[] = [];
      let trouble = false;
      while (held < size && !trouble) {
        if (signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
        while (next < size && flight.length < window) {
          const buffer = Buffer.alloc(Math.min(chunkBytes, size - next));
          const { bytesRead } = await file.read(buffer, 0, buffer.length, next);
          const id = randomUUID();
          flight.push({ end: next + bytesRead, reply: link.ask(id, buffer.subarray(0, bytesRead), { op: 'chunk', id, upload, offset: String(next) }, replyMs) });
          next += bytesRead;
        }
        const head = flight.shift()!;
        const reply = await head.reply;
        if (typeof reply === 'object' && reply.ok) {
          held = Math.max(held, reply.received ?? head.end);
          onProgress({ phase: 'uploading', sentBytes: held, totalBytes: size });
        } else if (typeof reply === 'object' && !(reply.error?.code === 'CONFLICT' && reply.received !== undefined)) {
          fail(reply);
        } else trouble = true;
      }
      if (!trouble) break;
      // Lost, unanswered or out of order: let the rest of the window settle, ask where the other host stands, go on from there.
      await Promise.all(flight.map((f) => f.reply));
      if (++resyncs > MAX_TRIES * 4) throw new AppError('TIMEOUT', `The upload of ${request.name} kept being interrupted; it stopped.`);
      held = await where();
    }
  } catch (err) {
    if (signal.aborted) {
      const id = randomUUID();
      void link.ask(id, JSON.stringify({ op: 'abort', id, upload }), null, 1).catch(() => undefined);
    }
    throw err;
  } finally {
    await file.close();
  }
  onProgress({ phase: 'starting', sentBytes: size, totalBytes: size });
  try {
    const committed = await ask((id) => JSON.stringify({ op: 'commit', id, upload }), null, tuning.commitMs ?? 300_000);
    if (!committed.ok) fail(committed);
  } catch (err) {
    // The answer may be what was lost: a printer already running this file took it.
    if (link.showsJob(request.name)) return;
    throw err;
  }
}
