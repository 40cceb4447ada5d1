import { AppError } from '../../../../shared/rpc/result';
import { ThreeWError } from '../threew';
import type { ThreeWStream } from '../threew/encode-stream';
import { printTimeOf, type UploadSource } from './source';

/**
 * Serves a `.3w` that is converted while it is sent. Uploads read it front to back, so only the piece being cut into blocks is held; reading an earlier offset (a
 * retried upload) starts the conversion again from the beginning.
 */
export function streamedSource(name: string, stream: ThreeWStream): UploadSource {
  let pieces: AsyncIterator<Uint8Array> | null = null;
  /** The unread part of the current piece and the file offset of its first byte. */
  let current: Uint8Array = new Uint8Array(0);
  let position = 0;
  let queue: Promise<unknown> = Promise.resolve();

  async function* wholeFile(): AsyncGenerator<Uint8Array> {
    yield stream.preamble;
    yield* stream.body();
  }

  async function next(): Promise<void> {
    pieces ??= wholeFile()[Symbol.asyncIterator]();
    position += current.length;
    const step = await pieces.next();
    if (step.done) throw new AppError('CONFLICT', `${name} ended early while it was converted; the file changed on disk.`);
    current = step.value;
  }

  async function restart(): Promise<void> {
    await pieces?.return?.();
    pieces = null;
    current = new Uint8Array(0);
    position = 0;
  }

  async function readAt(offset: number, length: number): Promise<Uint8Array> {
    const want = Math.max(0, Math.min(length, stream.size - offset));
    if (offset < position) await restart();
    while (position + current.length <= offset && want > 0) await next();
    current = current.subarray(offset - position);
    position = offset;
    // Pieces are never written again, so a block inside one is handed out as a view.
    if (current.length >= want) {
      const view = current.subarray(0, want);
      current = current.subarray(want);
      position += want;
      return view;
    }
    const out = new Uint8Array(want);
    for (let filled = 0; filled < want; ) {
      if (current.length === 0) await next();
      const take = Math.min(current.length, want - filled);
      out.set(current.subarray(0, take), filled);
      filled += take;
      current = current.subarray(take);
      position += take;
    }
    return out;
  }

  return {
    name,
    size: stream.size,
    container: stream.container,
    estimatedSeconds: printTimeOf(stream.preamble),
    read(offset, length) {
      // One read at a time, in the order asked, whatever the caller overlaps.
      const result = queue.then(() => readAt(offset, length)).catch((err: unknown) => {
        if (err instanceof ThreeWError) throw new AppError('CONFLICT', `${name} could not be converted while it was sent: ${err.message}.`);
        throw err;
      });
      queue = result.catch(() => undefined);
      return result;
    },
    close: restart,
  };
}
