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
 * accepted the job (docs/mqtt.md, "Printing from another site"). Stop-and-wait: each message is
 * acknowledged on the printer's reply topic with the bytes the other host holds, so after a broker
 * cut the upload goes on from there. The commit names the upload, and the other host prints an
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

  const begun = await ask((id) => JSON.stringify({ op: 'begin', id, upload, name: request.name, size, sha256 }), null, replyMs);
  if (!begun.ok) fail(begun);
  let sent = begun.received ?? 0;
  onProgress({ phase: 'uploading', sentBytes: sent, totalBytes: size });
  const file = await open(request.path, 'r');
  try {
    while (sent < size) {
      const buffer = Buffer.alloc(Math.min(chunkBytes, size - sent));
      const { bytesRead } = await file.read(buffer, 0, buffer.length, sent);
      const reply = await ask(() => buffer.subarray(0, bytesRead), { op: 'chunk', upload, offset: String(sent) }, replyMs);
      // CONFLICT with a count: the other host holds a different amount than we thought; go on from there.
      if (!reply.ok && !(reply.error?.code === 'CONFLICT' && reply.received !== undefined)) fail(reply);
      sent = reply.received ?? sent + bytesRead;
      onProgress({ phase: 'uploading', sentBytes: sent, totalBytes: size });
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
