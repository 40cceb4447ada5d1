import {
  decodeJsonStatus,
  decodeStatus,
  describeJsonResult,
  encodeJsonCommand,
  parseJsonResponse,
  XYZ_CAMERA_IMAGE_TIMEOUT_MS,
  XYZ_DEFAULT_REPLY_TIMEOUT_MS,
  XYZ_JSON_EOF_MARKER,
  XYZ_UPLOAD_BLOCK_SD_TIMEOUT_MS,
  XyzCameraCapture,
  XyzJsonJobState,
  XyzJsonResult,
  XyzJsonStreamDecoder,
  asciiBytes,
  type XyzJobControl,
  type XyzJsonCommand,
  type XyzJsonResponse,
  type XyzStatus,
} from '../protocol';
import { Listeners } from '../../../../shared/async';
import { TcpCommandChannel, TcpTransport, XyzTransportError, type TcpTarget } from '../transport';
import { XyzCancelledError, XyzNoAnswerError, XyzRejectedError, type XyzBackend } from './backend';
import type { UploadSource } from './upload-source';

const STREAM_CHUNK = 64 * 1024;

function checkResult(what: string, response: XyzJsonResponse, ok: readonly number[] = [XyzJsonResult.success]): void {
  if (ok.includes(response.result)) return;
  const busy = response.result === XyzJsonResult.busy;
  const text = response.message ?? describeJsonResult(response.result);
  throw new XyzRejectedError(`The printer refused ${what}: ${text}`, busy, `json-${response.result}`);
}

/** Reads the first JSON object of a reply as a response envelope. */
function firstResponse(): { onData(chunk: Uint8Array): XyzJsonResponse | undefined } {
  const decoder = new XyzJsonStreamDecoder(256 * 1024);
  return {
    onData(chunk) {
      for (const event of decoder.feed(chunk)) {
        if (event.kind === 'error') throw new XyzNoAnswerError(`The printer's answer could not be read (${event.detail.slice(0, 80)}).`, 'garbled');
        const response = parseJsonResponse(event.value);
        if (response) return response;
      }
      return undefined;
    },
  };
}

/**
 * The JSON protocol of the da Vinci 1.1 Plus over Wi-Fi: a new TCP connection per
 * command, status from commands 2 and 4, job control with the token the upload returned, and the
 * camera (command 3).
 */
export class JsonBackend implements XyzBackend {
  readonly protocol = 'json' as const;
  readonly description: string;
  private readonly channel: TcpCommandChannel;
  private readonly lost = new Listeners<[XyzTransportError]>();
  /** The token of the job this app started; the printer wants it for pause/resume/stop. */
  private token: string | null = null;
  /** Whether the printer has reported the token's job; until then "no job" means it is still checking the file. */
  private tokenJobSeen = false;

  constructor(
    private readonly target: TcpTarget,
    private readonly replyTimeoutMs = XYZ_DEFAULT_REPLY_TIMEOUT_MS,
  ) {
    this.channel = new TcpCommandChannel(target);
    this.description = `${this.channel.description} (1.1 Plus JSON)`;
  }

  async status(base?: XyzStatus): Promise<XyzStatus> {
    const all = await this.call({ command: 2, query: 'all' });
    checkResult('the status query', all);
    if (!all.data) throw new XyzNoAnswerError('The status reply had no data.', 'garbled');
    let status = decodeJsonStatus(all.data, base);
    // After command 2 miniMover asks command 4 for the job.
    const job = await this.call({ command: 4 });
    if (job.result === XyzJsonResult.success && job.print_percentage !== undefined) {
      this.tokenJobSeen = true;
      status = decodeStatus(
        [{ key: 'd', value: `${Math.round(job.print_percentage)},${Math.round(job.elapsed_time ?? 0)},${Math.round(job.estimated_time ?? 0)}` }],
        status,
      );
    } else if (job.result === XyzJsonResult.noJobOrReady && this.tokenJobSeen) {
      this.token = null;
    }
    return status;
  }

  async jobControl(control: XyzJobControl): Promise<void> {
    if (control === 'complete') return;
    if (this.token === null) {
      throw new XyzRejectedError('The 1.1 Plus only takes pause, resume and stop for a print Printdeck started (it asks for that job\'s token).', false, 'no-token');
    }
    const state = control === 'pause' ? XyzJsonJobState.pause : control === 'resume' ? XyzJsonJobState.resume : XyzJsonJobState.stop;
    checkResult(control, await this.call({ command: 6, state, token: this.token }));
  }

  action(): Promise<void> {
    return Promise.reject(new XyzRejectedError('The 1.1 Plus offers no maintenance actions over Wi-Fi.', false, 'unsupported'));
  }

  async snapshot(): Promise<Uint8Array> {
    const capture = new XyzCameraCapture();
    return this.channel.exchange<Uint8Array>(
      capture.request(),
      {
        onData: (chunk, send) => {
          for (const step of capture.feed(chunk)) {
            if (step.kind === 'send') void send(step.bytes).catch(() => undefined);
            else if (step.kind === 'frame') return step.jpeg;
            else throw new XyzRejectedError(`The camera sent no picture (${step.reason}).`, step.response?.result === XyzJsonResult.busy, step.reason);
          }
          return undefined;
        },
      },
      this.replyTimeoutMs + XYZ_CAMERA_IMAGE_TIMEOUT_MS,
    );
  }

  async upload(source: UploadSource, onSent: (bytes: number) => void, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw new XyzCancelledError();
    const transport = new TcpTransport(this.target);
    await transport.open();
    const decoder = new XyzJsonStreamDecoder(64 * 1024);
    const responses: XyzJsonResponse[] = [];
    let wake: (() => void) | null = null;
    let closed: XyzTransportError | null = null;
    transport.onData((chunk) => {
      for (const event of decoder.feed(chunk)) {
        const response = event.kind === 'object' ? parseJsonResponse(event.value) : null;
        if (response) responses.push(response);
      }
      wake?.();
    });
    transport.onClose((error) => {
      closed = error ?? new XyzTransportError('closed', 'The printer closed the connection.');
      wake?.();
    });
    const next = async (timeoutMs: number): Promise<XyzJsonResponse> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const response = responses.shift();
        if (response) return response;
        if (closed) throw closed;
        if (signal.aborted) throw new XyzCancelledError();
        const left = deadline - Date.now();
        if (left <= 0) throw new XyzNoAnswerError('The printer did not answer the upload in time.', 'timeout');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, 250));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
    };
    try {
      await transport.write(
        encodeJsonCommand({ command: 1, fileName: source.name, fileLen: source.size, ee1: 'EE1_OK', ee2: 'EE2_OK' }),
      );
      const ready = await next(this.replyTimeoutMs);
      // Result 1 with START_RECEIVE means "send the file".
      checkResult('the upload', ready, [XyzJsonResult.noJobOrReady]);
      for (let offset = 0; offset < source.size; ) {
        if (signal.aborted) throw new XyzCancelledError();
        const data = await source.read(offset, STREAM_CHUNK);
        await transport.write(data);
        offset += data.length;
        onSent(offset);
      }
      await transport.write(asciiBytes(XYZ_JSON_EOF_MARKER));
      const done = await next(XYZ_UPLOAD_BLOCK_SD_TIMEOUT_MS);
      checkResult('the file', done);
      this.token = done.token === undefined ? '' : String(done.token);
      this.tokenJobSeen = false;
    } finally {
      await transport.close();
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  onLost(listener: (error: XyzTransportError) => void): () => void {
    return this.lost.add(listener);
  }

  private async call(command: XyzJsonCommand): Promise<XyzJsonResponse> {
    const reader = firstResponse();
    return this.channel.exchange(encodeJsonCommand(command), { onData: (chunk) => reader.onData(chunk) }, this.replyTimeoutMs);
  }
}
