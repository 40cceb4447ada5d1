import { randomUUID } from 'node:crypto';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FileSource, PickedFile } from '../../shared/contract';
import { AppError } from '../../shared/rpc/result';
import type { CallContext } from '../rpc/registrar';

/** Tokens kept at once; the oldest are forgotten first (a window registers one per dropped file). */
const MAX_TOKENS = 10_000;

/** A FileSource after admission: staged, or a checked real local path (never a token). */
export type AdmittedSource = Exclude<FileSource, { kind: 'picked' }>;

export type LocalKind = 'file' | 'folder' | 'either';

/**
 * Host paths a caller may use. The desktop renderer never names a path: the preload registers
 * what the user dropped or picked (webUtils.getPathForFile, the folder dialog) and the page only
 * holds an opaque token. Over WebSocket nothing local is accepted; a raw `{kind:'path'}` is for
 * in-process callers only (the CLI, tests).
 */
export class PickedFiles {
  private readonly tokens = new Map<string, string>();

  /** Registers a path the user dropped or picked; returns the token that stands for it. */
  register(file: string): string {
    if (typeof file !== 'string' || !path.isAbsolute(file) || file.length > 4096 || file.includes('\0')) {
      throw new AppError('BAD_REQUEST', 'Only an absolute path of a dropped or picked file can be registered.');
    }
    const token = randomUUID();
    this.tokens.set(token, file);
    if (this.tokens.size > MAX_TOKENS) this.tokens.delete(this.tokens.keys().next().value as string);
    return token;
  }

  /**
   * Turns what a caller sent into a real local path: a token it was given, or a path if it is
   * trusted to name one. The path is resolved (symlinks followed) and must be of the kind wanted.
   */
  async admit(source: Exclude<FileSource, { kind: 'staged' }> | PickedFile | string, call: CallContext, kind: LocalKind): Promise<string> {
    if (call.transport === 'websocket') {
      throw new AppError('FORBIDDEN', 'Over the network, send the file itself (files.stageBegin/Chunk/Finish), not a path.');
    }
    let named: string;
    if (typeof source !== 'string' && source.kind === 'picked') {
      const found = this.tokens.get(source.token);
      if (!found) throw new AppError('FORBIDDEN', 'That file was not dropped or picked in this window; drop or pick it again.');
      named = found;
    } else {
      if (call.transport !== 'memory') {
        throw new AppError('FORBIDDEN', 'Drop or pick the file; Printdeck does not open paths the page names.');
      }
      named = typeof source === 'string' ? source : source.path;
      if (!path.isAbsolute(named)) throw new AppError('BAD_REQUEST', 'The path must be absolute.', 'file');
    }
    const real = await realpath(named).catch(() => null);
    const info = real ? await stat(real).catch(() => null) : null;
    const fits = info && (kind === 'file' ? info.isFile() : kind === 'folder' ? info.isDirectory() : info.isFile() || info.isDirectory());
    if (!real || !fits) throw new AppError('NOT_FOUND', `There is no ${kind === 'folder' ? 'folder' : 'file'} at ${named}.`);
    return real;
  }

  /** The same, for calls that take a FileSource: staged files pass through, local ones become checked paths. */
  async admitSource(source: FileSource, call: CallContext, kind: LocalKind): Promise<AdmittedSource> {
    if (source.kind === 'staged') return source;
    return { kind: 'path', path: await this.admit(source, call, kind) };
  }
}
