import { open, rm, stat } from 'node:fs/promises';
import { ThreeWError } from './errors';
import type { ChunkSource } from './encode-stream';

/**
 * Pieces read from disk at a time: large enough to be quick, small enough that the garbage a pass
 * leaves between collections stays far below the memory budget of a print.
 */
export const FILE_CHUNK = 64 * 1024;

/** What `openInput` found: a regular file of a known size, read in pieces from the start on each call. */
export interface InputFile {
  path: string;
  size: number;
  /**
   * The file in pieces. A piece is valid only until the next one is asked for: one buffer is read
   * into again and again, so a pass over a large file makes no garbage. Keep a copy to hold on.
   */
  chunks: ChunkSource;
  /** The first `length` bytes (or fewer, for a shorter file). */
  head(length: number): Promise<Buffer>;
}

function nodeCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

/**
 * Opens an input of the `.3w` tools. Only regular files are read: a device such as `/dev/zero` or
 * a pipe has no size to check and may never end. Reads stop at the size `stat` gave, so a file that
 * grows is not followed, and one that shrinks is reported.
 */
export async function openInput(path: string, maxBytes: number, what: string): Promise<InputFile> {
  const info = await stat(path).catch((error: unknown) => {
    const code = nodeCode(error);
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new ThreeWError('NOT_A_FILE', `cannot read ${path}: ${reason}${code ? ` (${code})` : ''}`);
  });
  if (info.isDirectory()) throw new ThreeWError('NOT_A_FILE', `${path} is a directory, not a ${what} (EISDIR)`);
  if (!info.isFile()) throw new ThreeWError('NOT_A_FILE', `${path} is not a regular file (a device, pipe or socket cannot be a ${what})`);
  if (info.size > maxBytes) {
    throw new ThreeWError('TOO_LARGE', `${path} is ${info.size} bytes, more than the ${maxBytes}-byte limit for a ${what}`);
  }
  const size = info.size;
  const readRange = async function* (end: number, reuse: boolean): AsyncGenerator<Buffer> {
    const handle = await open(path, 'r');
    let buffer = Buffer.allocUnsafe(Math.min(FILE_CHUNK, end));
    try {
      for (let at = 0; at < end; ) {
        if (!reuse && at > 0) buffer = Buffer.allocUnsafe(Math.min(FILE_CHUNK, end - at));
        const piece = buffer.subarray(0, Math.min(FILE_CHUNK, end - at));
        const { bytesRead } = await handle.read(piece, 0, piece.length, at);
        if (bytesRead === 0) throw new ThreeWError('INPUT_CHANGED', `${path} became shorter while it was read`);
        at += bytesRead;
        yield piece.subarray(0, bytesRead);
      }
    } finally {
      await handle.close();
    }
  };
  return {
    path,
    size,
    chunks: () => readRange(size, true),
    async head(length) {
      const parts: Buffer[] = [];
      for await (const piece of readRange(Math.min(length, size), false)) parts.push(piece);
      return Buffer.concat(parts);
    },
  };
}

/** Writes pieces to `path` in order; a failure part way removes the partial file. Returns the bytes written. */
export async function writeOutput(path: string, pieces: AsyncIterable<Uint8Array>): Promise<number> {
  const handle = await open(path, 'w').catch((error: unknown) => {
    throw new ThreeWError('NOT_A_FILE', `cannot write ${path}: ${(error as Error).message}`);
  });
  let written = 0;
  try {
    for await (const piece of pieces) {
      await handle.write(piece, 0, piece.length, written);
      written += piece.length;
    }
  } catch (error) {
    await handle.close();
    await rm(path, { force: true });
    throw error;
  }
  await handle.close();
  return written;
}
