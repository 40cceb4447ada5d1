import {
  XYZ_DEFAULT_REPLY_TIMEOUT_MS,
  XYZ_UPLOAD_BLOCK_SD_TIMEOUT_MS,
  XYZ_UPLOAD_BLOCK_TIMEOUT_MS,
  XYZ_V2_OFFLINE_OK_TIMEOUT_MS,
  type XyzV2Line,
} from '../protocol';
import type { XyzTransportError } from '../transport';

// What the v2 backend and the v2 uploader share: the line between them and its timeouts. It lives
// apart from both so that neither imports the other's module (the backend builds the uploader).

export interface V2Timeouts {
  /** Any `XYZ_@3D:<n>` reply (miniMover's default wait). */
  replyMs: number;
  /** `OFFLINE_OK` after `XYZ_@3D:4`. */
  offlineOkMs: number;
  /** `M1_OK` after the print header. */
  headerMs: number;
  /** The verdict on one frame. */
  frameMs: number;
  /** After a `wait` / `M888_WAIT` the printer is writing: up to this long. */
  frameWaitMs: number;
}

export const V2_TIMEOUTS: V2Timeouts = {
  replyMs: XYZ_DEFAULT_REPLY_TIMEOUT_MS,
  offlineOkMs: XYZ_V2_OFFLINE_OK_TIMEOUT_MS,
  headerMs: XYZ_DEFAULT_REPLY_TIMEOUT_MS,
  frameMs: XYZ_UPLOAD_BLOCK_TIMEOUT_MS,
  frameWaitMs: XYZ_UPLOAD_BLOCK_SD_TIMEOUT_MS,
};

export type V2Reply = (XyzV2Line | { kind: 'overflow' })[];

/**
 * What the v2 line gives a print flow: the lines since the last `listen`, woken on each new line.
 * The uploader uses it so that reading replies never races the status polls.
 */
export interface V2Line {
  readonly isOpen: boolean;
  /** Why the line broke, once it has. */
  readonly closedBy: XyzTransportError | null;
  write(bytes: Uint8Array): Promise<void>;
  /** Starts collecting reply lines afresh; returns the live list. */
  listen(): V2Reply;
  /** Resolves on the next line, on close, or after `ms`. */
  nudge(ms: number): Promise<void>;
}
