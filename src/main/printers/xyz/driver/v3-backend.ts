import {
  actionCalibrate,
  actionHome,
  actionJog,
  actionLoadFilament,
  actionUnloadFilament,
  configJob,
  decodeStatus,
  describeReplyError,
  encodeRequest,
  encodeUploadBlock,
  queryRequest,
  uploadDidFinishRequest,
  uploadRequest,
  XYZ_ACTION_REPLY_TIMEOUT_MS,
  XYZ_CONFIG_OTHER_MODELS_TIMEOUT_MS,
  XYZ_DEFAULT_BLOCK_SIZE,
  XYZ_DEFAULT_REPLY_TIMEOUT_MS,
  XYZ_QUERY_ALL_TIMEOUT_MS,
  XYZ_TCP_SETTLE_MS,
  XYZ_UPLOAD_BLOCK_TIMEOUT_MS,
  XYZ_UPLOAD_FINISH_DRAIN_MIN_MS,
  type XyzJobControl,
  type XyzReply,
  type XyzRequest,
  type XyzStatus,
} from '../protocol';
import type { XyzTransportError } from '../transport';
import {
  XyzCancelledError,
  XyzNoAnswerError,
  XyzRejectedError,
  type XyzActionCommand,
  type XyzBackend,
} from './backend';
import type { UploadSource } from './upload-source';
import type { XyzV3Session } from './v3-session';

export interface V3Timeouts {
  queryAllMs: number;
  configMs: number;
  actionMs: number;
  replyMs: number;
  blockMs: number;
  settleMs: number;
  finishDrainMs: number;
}

export const V3_TIMEOUTS: V3Timeouts = {
  queryAllMs: XYZ_QUERY_ALL_TIMEOUT_MS,
  configMs: XYZ_CONFIG_OTHER_MODELS_TIMEOUT_MS,
  actionMs: XYZ_ACTION_REPLY_TIMEOUT_MS,
  replyMs: XYZ_DEFAULT_REPLY_TIMEOUT_MS,
  blockMs: XYZ_UPLOAD_BLOCK_TIMEOUT_MS,
  settleMs: XYZ_TCP_SETTLE_MS,
  finishDrainMs: XYZ_UPLOAD_FINISH_DRAIN_MIN_MS,
};

function rejected(what: string, reply: Extract<XyzReply, { kind: 'rejected' }>): XyzRejectedError {
  // The firmware does not tell "busy" from "refused" in an `E` line; treat it as busy so the
  // caller backs off and retries a few times before giving up.
  return new XyzRejectedError(`${describeReplyError(reply.code)} for ${what}.`, true, reply.text);
}

function noAnswer(what: string, reply: XyzReply): XyzNoAnswerError {
  return reply.kind === 'protocol-error'
    ? new XyzNoAnswerError(`The printer's answer to ${what} could not be read (${reply.detail}).`, 'garbled')
    : new XyzNoAnswerError(`The printer did not answer ${what} in time.`, 'timeout');
}

/** The XYZv3 protocol over USB serial or TCP 9100. */
export class V3Backend implements XyzBackend {
  readonly protocol = 'v3' as const;
  readonly description: string;
  /** Upload block size from `o:p<N>`; 8 KiB until a status says otherwise. */
  private blockSize = XYZ_DEFAULT_BLOCK_SIZE;

  constructor(
    private readonly session: XyzV3Session,
    private readonly timeouts: V3Timeouts = V3_TIMEOUTS,
  ) {
    this.description = `${session.transport.description} (XYZv3)`;
  }

  async status(base?: XyzStatus): Promise<XyzStatus> {
    const reply = await this.session.request(queryRequest('a'), this.timeouts.queryAllMs);
    if (reply.kind === 'rejected') throw rejected('the status query', reply);
    if (reply.kind !== 'fields' || reply.fields.length === 0) throw noAnswer('the status query', reply);
    const status = decodeStatus(reply.fields, base);
    const size = status.options?.blockSizeBytes;
    if (size != null && size >= 512 && size <= 64 * 1024) this.blockSize = size;
    return status;
  }

  async jobControl(control: XyzJobControl): Promise<void> {
    await this.command(configJob(control), `print[${control}]`, this.timeouts.configMs);
  }

  async action(command: XyzActionCommand): Promise<void> {
    const request = toActionRequest(command);
    const reply = await this.session.request(request, this.timeouts.actionMs, { settleMs: this.timeouts.settleMs });
    if (reply.kind === 'rejected') throw rejected(request.verb === 'action' ? request.command : 'the action', reply);
    if (reply.kind === 'action' && reply.stat === 'fail') {
      throw new XyzRejectedError(`The printer reports that ${command.kind} failed.`, false, reply.body);
    }
    // No first reply within XYZware's 500 ms is not a failure: the state poll shows what happens.
  }

  snapshot(): Promise<Uint8Array> {
    return Promise.reject(new XyzRejectedError('This printer has no camera.', false, 'no-camera'));
  }

  upload(source: UploadSource, onSent: (bytes: number) => void, signal: AbortSignal): Promise<void> {
    return this.session.exclusive(async () => {
      if (signal.aborted) throw new XyzCancelledError();
      const start = uploadRequest(source.name, source.size);
      const first = await this.send(start, this.timeouts.replyMs);
      if (first.kind === 'rejected') throw rejected('the upload', first);
      if (first.kind !== 'ok') throw noAnswer('the upload command', first);
      const blockSize = this.blockSize;
      let next = source.read(0, blockSize);
      // One block in flight; the next one is read from disk while we wait.
      for (let index = 0, offset = 0; offset < source.size; index++) {
        if (signal.aborted) throw new XyzCancelledError();
        const data = await next;
        const after = offset + data.length;
        if (after < source.size) next = source.read(after, blockSize);
        const reply = await this.session.send({ verb: 'block', index }, encodeUploadBlock(index, data), this.timeouts.blockMs);
        if (reply.kind === 'rejected') {
          throw new XyzRejectedError(`The printer refused block ${index + 1} of the upload (${reply.text}).`, false, reply.text);
        }
        if (reply.kind !== 'ok') throw noAnswer(`block ${index + 1} of the upload`, reply);
        offset = after;
        onSent(offset);
      }
      // The printer may answer with one or two `ok`s or nothing at all.
      await this.session.send(uploadDidFinishRequest(), encodeRequestFor(this.session, uploadDidFinishRequest()), this.timeouts.finishDrainMs, {
        settleMs: this.timeouts.finishDrainMs,
        enoughOks: 2,
        afterFirstOkMs: 300,
      });
    });
  }

  close(): Promise<void> {
    return this.session.close();
  }

  onLost(listener: (error: XyzTransportError) => void): () => void {
    return this.session.onLost(listener);
  }

  private send(request: XyzRequest, timeoutMs: number): Promise<XyzReply> {
    return this.session.send(request, encodeRequestFor(this.session, request), timeoutMs, { settleMs: this.timeouts.settleMs });
  }

  private async command(request: XyzRequest, what: string, timeoutMs: number): Promise<void> {
    const reply = await this.session.request(request, timeoutMs, { settleMs: this.timeouts.settleMs });
    if (reply.kind === 'rejected') throw rejected(what, reply);
    if (reply.kind === 'timeout' || reply.kind === 'protocol-error') throw noAnswer(what, reply);
  }
}

function encodeRequestFor(session: XyzV3Session, request: XyzRequest): Uint8Array {
  return encodeRequest(request, session.link);
}

function toActionRequest(command: XyzActionCommand): XyzRequest {
  switch (command.kind) {
    case 'home':
      return actionHome();
    case 'jog':
      return actionJog(command.axis, command.direction, command.mm);
    case 'load':
      return actionLoadFilament(command.step);
    case 'unload':
      return actionUnloadFilament(command.step);
    case 'calibrate':
      return actionCalibrate(command.step);
  }
}
